package dev.daneel.anchors;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process for {@link AnchorStoreCrashTest}: updates the state file in a loop until it is
 * killed, incrementing the root trust point's failure counter and printing each value once {@link
 * AnchorStore#update} has returned, so the parent knows which states were committed.
 */
public final class StateFileWriter {

    private StateFileWriter() {}

    public static void main(String[] args) throws Exception {
        AnchorStore store = AnchorStore.at(Path.of(args[0]));
        PrintStream out = System.out;
        out.println("ready");
        out.flush();
        while (true) {
            List<TrustPointState> next = store.update(AnchorStoreTest::increment);
            out.println(next.get(0).queryFailed());
            out.flush();
        }
    }
}

package dev.daneel.anchors;

import java.nio.file.Path;

/**
 * A second process for {@link AnchorStoreTest}: increments the root trust point's failure counter
 * {@code args[1]} times through {@link AnchorStore#update}, while the test's threads do the same.
 */
public final class StoreHammer {

    private StoreHammer() {}

    public static void main(String[] args) throws Exception {
        AnchorStore store = AnchorStore.at(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            store.update(AnchorStoreTest::increment);
        }
    }
}

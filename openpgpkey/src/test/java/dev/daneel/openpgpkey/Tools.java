package dev.daneel.openpgpkey;

import dev.daneel.testkit.RealTools;

/** Real tools (gpg, hash-slinger) for interop tests: skipped when absent, failing when CI=true. */
final class Tools {

    private Tools() {}

    /** Skips (or fails under CI) when {@code tool} is not on the PATH. */
    static void require(String tool) {
        RealTools.require(tool, "see scripts/interop-deps");
    }
}

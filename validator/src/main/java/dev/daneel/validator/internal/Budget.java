package dev.daneel.validator.internal;

import dev.daneel.validator.Limits;

/**
 * The work one lookup may still do: signature verifications and NSEC3 hash computations. Shared by
 * everything one lookup validates, so a hostile answer cannot multiply its cost across links or
 * zones. Thread-safe, since a lookup's chain fetches complete on several threads.
 */
final class Budget {

    private final Limits limits;
    private int signatureChecks;
    private int nsec3Hashes;

    Budget(Limits limits) {
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    /** Takes one signature verification from the budget; false when none is left. */
    synchronized boolean spendSignatureCheck() {
        if (signatureChecks >= limits.maxSignatureChecks()) {
            return false;
        }
        signatureChecks++;
        return true;
    }

    /** Takes one NSEC3 hash computation from the budget; false when none is left. */
    synchronized boolean spendNsec3Hash() {
        if (nsec3Hashes >= limits.maxNsec3Hashes()) {
            return false;
        }
        nsec3Hashes++;
        return true;
    }

    synchronized int signatureChecks() {
        return signatureChecks;
    }
}

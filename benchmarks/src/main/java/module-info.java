/**
 * Daneel benchmarks: JMH microbenchmarks and side-by-side comparisons with dnsjava's
 * ValidatingResolver and libunbound. An application module; it exports nothing.
 */
module dev.daneel.bench {
    requires dev.daneel.validator;
    requires dev.daneel.testkit;
}

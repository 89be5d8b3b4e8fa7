/**
 * Daneel benchmarks: JMH microbenchmarks and side-by-side comparisons with dnsjava's
 * ValidatingResolver and libunbound. Run from the shaded jar on the class path
 * ({@code java -jar benchmarks/target/benchmarks.jar}).
 */
module dev.daneel.bench {
    requires dev.daneel.validator;
    requires dev.daneel.testkit;
    requires jmh.core;

    exports dev.daneel.bench;
    // JMH generates its runner classes here and instantiates them reflectively.
    exports dev.daneel.bench.jmh_generated;
}

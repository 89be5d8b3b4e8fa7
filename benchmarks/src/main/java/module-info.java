/**
 * Daneel benchmarks: JMH microbenchmarks and side-by-side comparisons with dnsjava's
 * ValidatingResolver and libunbound. Run from the shaded jar on the class path ({@code java -jar
 * benchmarks/target/benchmarks.jar} for JMH, {@code java -cp benchmarks/target/benchmarks.jar
 * dev.daneel.bench.SideBySide} for the comparison).
 */
module dev.daneel.bench {
    requires dev.daneel.validator;
    requires dev.daneel.dane;
    requires dev.daneel.testkit;
    requires java.management;
    requires jdk.management; // the process CPU time of a cold pass
    requires jmh.core;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports dev.daneel.bench;
    // JMH generates its runner classes here and instantiates them reflectively.
    exports dev.daneel.bench.jmh_generated;
}

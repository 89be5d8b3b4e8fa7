/**
 * Daneel's benchmarks: the side-by-side comparison with dnsjava's validator and libunbound ({@link
 * dev.daneel.bench.SideBySide}), the cache memory check ({@link dev.daneel.bench.MemoryCheck}), the
 * command-line start-up measurement ({@link dev.daneel.bench.CliStartup}) and JMH microbenchmarks.
 * Everything runs from {@code benchmarks/target/benchmarks.jar} and sends packets only to
 * 127.0.0.1.
 */
package dev.daneel.bench;

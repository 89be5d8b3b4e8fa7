/** JMH benchmarks; run them from {@code benchmarks/target/benchmarks.jar}. */
package dev.daneel.bench;

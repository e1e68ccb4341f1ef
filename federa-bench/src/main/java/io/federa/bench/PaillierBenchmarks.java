package io.federa.bench;

import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeParameters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH figures of the Paillier primitives (one thread). Run with {@code java -jar
 * federa-bench/target/federa-benchmarks.jar PaillierBenchmarks}; {@code federa bench paillier}
 * prints the same figures beside the textbook scheme.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.math=ALL-UNNAMED")
public class PaillierBenchmarks {
  @Param({"2048"})
  public int bits;

  private HeKeyPair keys;
  private FixedPointEncoder encoder;
  private Ciphertext a;
  private Ciphertext b;

  @Setup
  public void setUp() {
    keys = HeKeyPair.generate(HeParameters.of(bits));
    encoder = FixedPointEncoder.defaults(keys.publicKey());
    a = keys.publicKey().encrypt(encoder.encode(1.25));
    b = keys.publicKey().encrypt(encoder.encode(-0.5));
  }

  @Benchmark
  public Ciphertext encrypt() {
    return keys.publicKey().encrypt(encoder.encode(0.75));
  }

  @Benchmark
  public double decrypt() {
    return keys.privateKey().decrypt(a);
  }

  @Benchmark
  public Ciphertext add() {
    return a.add(b);
  }

  @Benchmark
  public Ciphertext multiplyByDouble() {
    return a.multiply(encoder.encode(-3.7));
  }
}

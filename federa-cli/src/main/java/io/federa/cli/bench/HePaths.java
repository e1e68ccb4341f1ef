package io.federa.cli.bench;

import io.federa.cli.Json;
import io.federa.core.compute.LocalEngine;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.EncodedNumber;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.PaillierPrivateKey;
import io.federa.crypto.he.TextbookPaillier;
import io.federa.crypto.internal.Montgomery;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One core, the batch operations on one Paillier key: Federa on its native AVX-512 IFMA kernel,
 * Federa on its Java path (the kernel turned off in the same process), and FATE's arithmetic on GMP
 * ({@code python3-gmpy2}, the engine FATE uses, run by this benchmark as a child process on the
 * same key and plaintexts).
 */
final class HePaths {
  /** Values per batch call: 64 rounds of the kernel's eight lanes. */
  static final int BATCH = 512;

  /** Terms GMP's dot product runs (one powmod each); its rate is scaled to the full dot product. */
  private static final int GMP_DOT_TERMS = 2_000;

  /** One operation: per second, or seconds for the dot product; GMP's is NaN when not measured. */
  record Row(String operation, String unit, double nativePath, double javaPath, double gmp) {
    /** How many times faster the native path is than {@code other} (more is better). */
    double over(double other) {
      return "s".equals(unit) ? other / nativePath : nativePath / other;
    }
  }

  /** The table, whether the native kernel ran, GMP's version or why it is missing. */
  record Table(
      int bits, boolean nativeKernel, String gmp, List<Row> rows, boolean nativeEqualsJava) {
    /** The table as {@code bench paillier} prints it ({@code variant}: the keys' variant). */
    void print(java.io.PrintWriter out, String variant) {
      out.printf(
          "Paillier %d bits, %s keys, one core, batches of %d: Federa native (AVX-512 IFMA%s),"
              + " Federa Java, FATE's arithmetic on GMP (%s)%n%n",
          bits,
          variant,
          BATCH,
          nativeKernel ? "" : ": NOT IN USE on this machine, both columns are Java",
          gmp);
      out.printf(
          "%-30s %12s %12s %12s %9s %9s%n",
          "operation", "native", "java", "gmp", "nat/java", "nat/gmp");
      for (Row row : rows) {
        String f = "s".equals(row.unit()) ? "%12.3f" : "%12.0f";
        out.printf(
            "%-30s " + f + " " + f + " " + f + " %8.2f× %8.2f×%n",
            row.operation() + " " + row.unit(),
            row.nativePath(),
            row.javaPath(),
            row.gmp(),
            row.over(row.javaPath()),
            row.over(row.gmp()));
      }
      out.printf("%nnative and Java results decrypt the same: %s%n%n", nativeEqualsJava);
    }
  }

  private final HeKeyPair keys;
  private final double seconds;
  private final int dotTerms;

  HePaths(HeKeyPair keys, double seconds, int dotTerms) {
    this.keys = keys;
    this.seconds = seconds;
    this.dotTerms = dotTerms;
  }

  Table run() {
    var pk = keys.publicKey();
    var sk = keys.privateKey();
    var encoder = FixedPointEncoder.defaults(pk);
    Random rnd = new Random(7);
    double[] values = new double[BATCH];
    EncodedNumber[] plain = new EncodedNumber[BATCH];
    EncodedNumber[] scalars = new EncodedNumber[BATCH];
    for (int i = 0; i < BATCH; i++) {
      values[i] = rnd.nextGaussian();
      plain[i] = encoder.encode(values[i]);
      scalars[i] = encoder.encode(rnd.nextGaussian() * 2);
    }
    Ciphertext[] a = pk.encrypt(plain);
    Ciphertext[] b = pk.encrypt(plain);
    Ciphertext[] column = new Ciphertext[dotTerms];
    double[] x = new double[dotTerms];
    for (int i = 0; i < dotTerms; i++) {
      column[i] = a[i % BATCH];
      x[i] = rnd.nextGaussian() * 2;
    }
    boolean kernel = Montgomery.nativeProducts();
    List<double[]> rates = new ArrayList<>();
    List<Object> results = new ArrayList<>();
    try (var one = LocalEngine.withThreads(1, LocalEngine.DEFAULT_GRAIN)) {
      for (boolean nativePath : new boolean[] {true, false}) {
        Montgomery.enableNative(nativePath);
        try {
          rates.add(
              new double[] {
                BATCH * rate(i -> pk.encrypt(plain)),
                BATCH * rate(i -> sk.decrypt(a)),
                BATCH * rate(i -> Ciphertext.addAll(a, b)),
                BATCH * rate(i -> Ciphertext.multiplyAll(a, scalars)),
                best(() -> EncryptedVectors.dot(column, x, encoder, one))
              });
          results.add(
              List.of(
                  Arrays.toString(sk.decrypt(Ciphertext.addAll(a, b))),
                  Arrays.toString(sk.decrypt(Ciphertext.multiplyAll(a, scalars))),
                  sk.decryptRaw(EncryptedVectors.dot(column, x, encoder, one))));
        } finally {
          Montgomery.enableNative(true);
        }
      }
    }
    Map<String, Object> gmp = gmp((PaillierPrivateKey) sk, encoder, plain, scalars);
    String[] names = {"encrypt", "decrypt", "add", "multiply by a scalar", "dot product"};
    String[] keysOf = {"encrypt", "decrypt", "add", "multiply", "dot"};
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < names.length; k++) {
      boolean dot = k == 4;
      double g = Double.NaN;
      if (gmp.get(keysOf[k]) instanceof Number n) {
        g = n.doubleValue();
      } else if (dot && gmp.get("dot_terms_per_s") instanceof Number n) {
        g = dotTerms / n.doubleValue();
      }
      rows.add(
          new Row(
              dot ? names[k] + ", " + dotTerms + " terms" : names[k],
              dot ? "s" : "/s",
              rates.get(0)[k],
              rates.get(1)[k],
              g));
    }
    String version = gmp.containsKey("gmp") ? (String) gmp.get("gmp") : (String) gmp.get("error");
    return new Table(
        pk.modulusBits(), kernel, version, rows, results.get(0).equals(results.get(1)));
  }

  /**
   * FATE's operations on GMP in a child {@code python3}: the same key, plaintexts and scalars, its
   * ciphertexts made by the textbook scheme (which its own decryption checks against the
   * plaintexts). Returns its rates, or {@code error} saying why there are none.
   */
  private Map<String, Object> gmp(
      PaillierPrivateKey sk, FixedPointEncoder encoder, EncodedNumber[] plain, EncodedNumber[] k) {
    var textbook = new TextbookPaillier(sk);
    BigInteger n = sk.publicKey().modulus();
    Map<String, Object> spec = new LinkedHashMap<>();
    BigInteger[] primes = sk.primes();
    spec.put("n", n.toString());
    spec.put("p", primes[0].toString());
    spec.put("q", primes[1].toString());
    spec.put("seconds", seconds);
    spec.put("dot_terms", Math.min(dotTerms, GMP_DOT_TERMS));
    List<String> plaintexts = new ArrayList<>();
    List<String> ciphertexts = new ArrayList<>();
    List<String> scalars = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      BigInteger m = plain[i].encoding();
      plaintexts.add(m.toString());
      ciphertexts.add(textbook.encrypt(m).toString());
      scalars.add(k[i].signedValue().toString());
    }
    spec.put("plaintexts", plaintexts);
    spec.put("ciphertexts", ciphertexts);
    spec.put("scalars", scalars);
    Path script = null;
    try (InputStream in = HePaths.class.getResourceAsStream("/bench/gmp_fate.py")) {
      script = Files.createTempFile("federa-gmp-", ".py");
      Files.write(script, in.readAllBytes());
      Process p =
          new ProcessBuilder(python(), script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (var stdin = p.getOutputStream()) {
        stdin.write(Json.write(spec).getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        return Map.of(
            "error", "not measured: python3 with gmpy2 failed (apt-get install python3-gmpy2)");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> rates = Json.mapper().readValue(out, Map.class);
      return rates;
    } catch (IOException e) {
      return Map.of("error", "not measured: " + e.getMessage() + " (is python3 installed?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("error", "not measured: interrupted");
    } finally {
      if (script != null) {
        script.toFile().delete();
      }
    }
  }

  /** Debian's python3 (where {@code python3-gmpy2} installs), else the first on the path. */
  private static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  /** Calls per second of {@code op(i)} over about {@link #seconds} ({@link Timing#rate}). */
  private double rate(IntConsumer op) {
    return io.federa.cli.Timing.rate(seconds, op);
  }

  /** Seconds of the fastest of three runs, after a warm-up. */
  private static double best(Runnable work) {
    work.run();
    return io.federa.cli.Timing.best(3, work);
  }
}

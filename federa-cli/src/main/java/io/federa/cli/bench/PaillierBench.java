package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.core.compute.LocalEngine;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.PaillierPrivateKey;
import io.federa.crypto.he.TextbookPaillier;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench paillier}: Federa's Paillier against the textbook scheme on the same key, in
 * the same process, on one core; then Federa's vector forms on all cores; then Okamoto–Uchiyama
 * beside Federa's Paillier, the same operations on the same values in the same run.
 */
@Command(
    name = "paillier",
    description = {
      "Paillier throughput: Federa vs textbook on one core (same key, same run), and all cores.",
      "Then OU (Okamoto–Uchiyama) beside Federa's Paillier.",
      "Per second unless the key ends in _s."
    })
public final class PaillierBench extends FederaCommand<PaillierBench.Paillier> {
  /** Federa's figure beside the textbook implementation's, and how many times better it is. */
  public record Versus(double federa, double textbook, double speedup) {
    /** Operations per second: more is better. */
    static Versus rates(double federa, double textbook) {
      return new Versus(federa, textbook, federa / textbook);
    }
  }

  /** Key generation, the operations on one core against the textbook, and all cores. */
  public record Paillier(
      int bits,
      String variant,
      double keygenS,
      double tableBuildS,
      Versus encrypt,
      Versus decrypt,
      Versus add,
      Versus multiply,
      int dotTerms,
      Versus dotSeconds,
      int cores,
      double encryptAllCores,
      double decryptAllCores,
      double dotAllCoresS,
      boolean dotResultsAgree,
      boolean montgomeryIntrinsic,
      OuBeside.Ou ou,
      List<HePaths.Table> paths) {}

  @Option(
      names = "--bits",
      defaultValue = "2048",
      description = "Modulus size. Default: ${DEFAULT-VALUE}.")
  int bits;

  @Option(
      names = "--seconds",
      defaultValue = "2",
      description = "Measuring time per figure. Default: ${DEFAULT-VALUE}.")
  double seconds;

  @Option(
      names = "--dot-terms",
      defaultValue = "30000",
      description = "Terms of the encrypted dot product. Default: ${DEFAULT-VALUE}.")
  int dotTerms;

  @Option(
      names = "--variant",
      defaultValue = "SUBGROUP",
      description = "Key variant: SUBGROUP (Ma–Han–Lei, the default) or STANDARD.")
  HeParameters.Variant variant;

  @Option(
      names = "--sizes",
      split = ",",
      description =
          "Key sizes of the native / Java / GMP table (comma-separated). Default: --bits alone.")
  List<Integer> sizes;

  @Option(
      names = "--paths-only",
      description = "Print only the native / Java / GMP table (skips the textbook and OU tables).")
  boolean pathsOnly;

  private static final int POOL = OuBeside.POOL;

  @Override
  protected Paillier execute(Progress progress) {
    List<HePaths.Table> paths = new ArrayList<>();
    for (int size : sizes == null ? List.of(bits) : sizes) {
      progress.start("native, Java and GMP at " + size + " bits", 1);
      HeKeyPair pathKeys =
          HeKeyPair.generate(HeParameters.of(size).withVariant(variant), new SecureRandom());
      paths.add(new HePaths(pathKeys, seconds, dotTerms).run());
      progress.stepTo(1);
    }
    if (pathsOnly) {
      return new Paillier(
          bits,
          variant.name(),
          0,
          0,
          null,
          null,
          null,
          null,
          dotTerms,
          null,
          0,
          0,
          0,
          0,
          true,
          io.federa.crypto.internal.Montgomery.intrinsicAvailable(),
          null,
          paths);
    }
    progress.start("paillier " + bits, 10);
    long t0 = System.nanoTime();
    HeKeyPair keys =
        HeKeyPair.generate(HeParameters.of(bits).withVariant(variant), new SecureRandom());
    double keygen = (System.nanoTime() - t0) / 1e9;
    var pk = keys.publicKey();
    var sk = keys.privateKey();
    var encoder = FixedPointEncoder.defaults(pk);
    var textbook = new TextbookPaillier((PaillierPrivateKey) sk);
    Random rnd = new Random(1);
    double[] values = new double[POOL];
    for (int i = 0; i < POOL; i++) {
      values[i] = rnd.nextGaussian();
    }
    t0 = System.nanoTime();
    pk.encrypt(encoder.encode(0)); // builds the fixed-base table
    double tableBuild = (System.nanoTime() - t0) / 1e9;

    Ciphertext[] cts = new Ciphertext[POOL];
    BigInteger[] tcts = new BigInteger[POOL];
    BigInteger[] plain = new BigInteger[POOL];
    for (int i = 0; i < POOL; i++) {
      cts[i] = pk.encrypt(encoder.encode(values[i]));
      plain[i] = encoder.scaled(values[i]).mod(pk.modulus());
      tcts[i] = textbook.encrypt(plain[i]);
    }
    progress.stepTo(1);
    var encrypt =
        Versus.rates(
            rate(i -> pk.encrypt(encoder.encode(values[i % POOL]))),
            rate(i -> textbook.encrypt(plain[i % POOL])));
    progress.stepTo(2);
    var decrypt =
        Versus.rates(
            rate(i -> sk.decrypt(cts[i % POOL])), rate(i -> textbook.decrypt(tcts[i % POOL])));
    progress.stepTo(3);
    Ciphertext[] acc = {cts[0]};
    BigInteger[] tacc = {tcts[0]};
    var add =
        Versus.rates(
            rate(i -> acc[0] = acc[0].add(cts[i % POOL])),
            rate(i -> tacc[0] = textbook.add(tacc[0], tcts[i % POOL])));
    progress.stepTo(4);
    double multiplyRate = rate(i -> cts[i % POOL].multiply(encoder.encode(values[(i + 7) % POOL])));
    BigInteger[] scalars = new BigInteger[POOL];
    for (int i = 0; i < POOL; i++) {
      scalars[i] = encoder.scaled(values[(i + 7) % POOL]);
    }
    var multiply =
        Versus.rates(
            multiplyRate,
            rate(
                i ->
                    textbook.dot(
                        new BigInteger[] {tcts[i % POOL]}, new BigInteger[] {scalars[i % POOL]})));
    progress.stepTo(5);

    // dot product over dotTerms terms with doubles
    Ciphertext[] column = new Ciphertext[dotTerms];
    BigInteger[] tcolumn = new BigInteger[dotTerms];
    double[] x = new double[dotTerms];
    BigInteger[] tx = new BigInteger[dotTerms];
    for (int i = 0; i < dotTerms; i++) {
      column[i] = cts[i % POOL];
      tcolumn[i] = tcts[i % POOL];
      x[i] = rnd.nextGaussian() * 2;
      tx[i] = encoder.scaled(x[i]);
    }
    double dot;
    double dotTextbook;
    int cores;
    double dotAllCores;
    double encryptAllCores;
    double decryptAllCores;
    try (var one = LocalEngine.withThreads(1, LocalEngine.DEFAULT_GRAIN);
        var all = LocalEngine.allCores()) {
      EncryptedVectors.dot(column, x, encoder, one); // warm-up
      dot = Timing.best(3, () -> EncryptedVectors.dot(column, x, encoder, one));
      progress.stepTo(6);
      BigInteger[] textbookDot = new BigInteger[1];
      dotTextbook = Timing.best(1, () -> textbookDot[0] = textbook.dot(tcolumn, tx));
      progress.stepTo(7);
      cores = all.parallelism();
      dotAllCores = Timing.best(3, () -> EncryptedVectors.dot(column, x, encoder, all));
      int batch = 2000;
      double[] many = new double[batch];
      for (int i = 0; i < batch; i++) {
        many[i] = values[i % POOL];
      }
      double encSeconds = Timing.best(2, () -> EncryptedVectors.encrypt(encoder, many, all));
      encryptAllCores = batch / encSeconds;
      progress.stepTo(8);
      Ciphertext[] manyCts = new Ciphertext[batch / 2];
      for (int i = 0; i < manyCts.length; i++) {
        manyCts[i] = cts[i % POOL];
      }
      double decSeconds = Timing.best(2, () -> EncryptedVectors.decrypt(sk, manyCts, all));
      decryptAllCores = manyCts.length / decSeconds;
      progress.stepTo(9);
    }
    // a check that the two agree, so the comparison is of equal work
    BigInteger federa =
        sk.decryptRaw(EncryptedVectors.dot(column, x, encoder, LocalEngine.allCores()));
    BigInteger reference = textbook.decrypt(textbook.dot(tcolumn, tx));
    double encryptBatch = OuBeside.batchRate(pk, encoder, values, seconds);
    OuBeside.Ou ou =
        new OuBeside(bits, seconds)
            .measure(
                values,
                encrypt.federa(),
                encryptBatch,
                decrypt.federa(),
                add.federa(),
                multiply.federa());
    progress.stepTo(10);
    return new Paillier(
        bits,
        variant.name(),
        keygen,
        tableBuild,
        encrypt,
        decrypt,
        add,
        multiply,
        dotTerms,
        new Versus(dot, dotTextbook, dotTextbook / dot),
        cores,
        encryptAllCores,
        decryptAllCores,
        dotAllCores,
        federa.equals(reference),
        io.federa.crypto.internal.Montgomery.intrinsicAvailable(),
        ou,
        paths);
  }

  /** Calls per second of {@code op(i)} over about {@link #seconds} ({@link Timing#rate}). */
  private double rate(IntConsumer op) {
    return Timing.rate(seconds, op);
  }

  @Override
  protected void printText(Paillier r, PrintWriter out) {
    for (HePaths.Table t : r.paths()) {
      t.print(out, r.variant());
    }
    if (r.encrypt() == null) {
      return;
    }
    out.printf(
        "Paillier, %s-bit modulus, %s keys (key generation %.2f s, encryption table %.2f s)%n%n",
        r.bits(), r.variant(), r.keygenS(), r.tableBuildS());
    out.printf("%-28s %14s %14s %9s%n", "one core", "federa", "textbook", "ratio");
    row(out, "encrypt /s", r.encrypt(), false);
    row(out, "decrypt /s", r.decrypt(), false);
    row(out, "add /s", r.add(), false);
    row(out, "multiply by a double /s", r.multiply(), false);
    row(out, "dot " + r.dotTerms() + " terms (s)", r.dotSeconds(), true);
    out.printf("%nall %s cores (federa)%n", r.cores());
    out.printf("%-28s %14.0f%n", "encrypt /s", r.encryptAllCores());
    out.printf("%-28s %14.0f%n", "decrypt /s", r.decryptAllCores());
    out.printf("%-28s %14.3f%n", "dot " + r.dotTerms() + " terms (s)", r.dotAllCoresS());
    out.printf(
        "%ndot products agree with the textbook result: %s; JDK Montgomery intrinsic: %s%n",
        r.dotResultsAgree(), r.montgomeryIntrinsic());
    r.ou().print(out, r.bits(), r.cores());
  }

  private static void row(PrintWriter out, String name, Versus v, boolean time) {
    out.printf(
        time ? "%-28s %14.3f %14.3f %8.1f×%n" : "%-28s %14.0f %14.0f %8.1f×%n",
        name,
        v.federa(),
        v.textbook(),
        v.speedup());
  }
}

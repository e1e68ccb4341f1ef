package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.JoinedData;
import io.federa.cli.demo.VerticalDemo;
import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeScheme;
import io.federa.ml.TrainingListener;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.GradientBoosting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench secureboost}: seconds per tree of hetero SecureBoost run as {@code federa
 * demo secureboost} runs it (guest and host as two node processes, files uploaded, the job through
 * flow, the real key size), from the job's {@code iteration_seconds}; the ciphertexts the guest
 * decrypted per tree and each party's bytes per tree from the job's metrics and audit; against the
 * centralized GBDT with the same parameters on the joined data in the same run.
 */
@Command(
    name = "secureboost",
    description = "SecureBoost seconds per tree (a job through flow) against the centralized GBDT.")
public final class SecureBoostBench extends FederaCommand<SecureBoostBench.Trees> {
  /** One scheme's SecureBoost run: its cost per tree and its AUC. */
  public record Scheme(
      String method,
      double secondsPerTree,
      double ratioToCentralized,
      double decryptionsPerTree,
      Map<String, Long> bytesSentPerTree,
      double auc) {}

  /** SecureBoost's cost per tree under each scheme, beside the centralized GBDT's. */
  public record Trees(
      int rows,
      int features,
      int keyBits,
      int cores,
      int trees,
      double centralizedSecondsPerTree,
      List<Scheme> schemes,
      Double fateSecondsPerTree,
      double centralizedAuc) {}

  @Option(names = "--trees", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int trees;

  @Option(
      names = "--methods",
      split = ",",
      defaultValue = "paillier,ou",
      converter = io.federa.cli.demo.KeyOptions.SchemeConverter.class,
      description = "encrypt_param.method of each run, in order. Default: ${DEFAULT-VALUE}.")
  List<HeScheme> methods;

  @picocli.CommandLine.Mixin VerticalFiles files;

  @Override
  protected Trees execute(Progress progress) throws Exception {
    Path guestFile = files.guestFile();
    Path hostFile = files.hostFile();
    PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
    List<VerticalDemo.Result> runs = new ArrayList<>();
    for (HeScheme method : methods) {
      var spec = files.spec(VerticalDemo.Algorithm.SECUREBOOST, trees, false, method);
      runs.add(new VerticalDemo(spec, sink, true).run(progress));
    }
    Table joined = JoinedData.read(guestFile, List.of(hostFile), "id", "y");
    var params = new GbdtParams(GbdtParams.Loss.LOGISTIC, trees, 3, 0.3, 32, 0.1, 1e-3, 1);
    LocalEngine engine = LocalEngine.allCores();
    double central =
        Timing.median(3, () -> GradientBoosting.fit(joined, params, engine, TrainingListener.NONE))
            / trees;
    List<Scheme> schemes = new ArrayList<>();
    for (VerticalDemo.Result run : runs) {
      var perParty = new LinkedHashMap<String, Long>();
      run.training().bytesPer(trees).forEach((p, b) -> perParty.put(Integer.toString(p), b));
      double perTree = run.training().medianSeconds();
      List<Double> decrypted = run.federated().decryptionsPerTree();
      schemes.add(
          new Scheme(
              run.method(),
              perTree,
              perTree / central,
              decrypted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
              perParty,
              run.federated().auc()));
    }
    return new Trees(
        joined.rows(),
        joined.features(),
        files.keyBits,
        Runtime.getRuntime().availableProcessors(),
        trees,
        central,
        schemes,
        // FATE's published per-tree cost, worked out for the shipped default_credit shape only
        files.guest == null && files.host == null ? 22.0 : null,
        runs.get(0).centralized().auc());
  }

  @Override
  protected void printText(Trees t, PrintWriter out) {
    out.printf(
        "hetero SecureBoost, %d rows × %d features, %d trees of depth 3, 32 bins, %d-bit keys,"
            + " %d cores%n%n",
        t.rows(), t.features(), t.trees(), t.keyBits(), t.cores());
    out.printf(
        "%-10s %14s %10s %14s %10s  %s%n",
        "method", "s per tree", "× central", "decryptions", "AUC", "bytes sent per tree by party");
    for (Scheme s : t.schemes()) {
      out.printf(
          "%-10s %14.2f %10.0f %14.0f %10.4f  %s%n",
          s.method(),
          s.secondsPerTree(),
          s.ratioToCentralized(),
          s.decryptionsPerTree(),
          s.auc(),
          s.bytesSentPerTree());
    }
    out.printf(
        "%ncentralized GBDT, same parameters: %.4f s per tree, AUC %.4f%n",
        t.centralizedSecondsPerTree(), t.centralizedAuc());
    if (t.fateSecondsPerTree() != null) {
      out.printf(
          "FATE (published, this shape, estimated): %.1f s per tree%n", t.fateSecondsPerTree());
    }
  }
}

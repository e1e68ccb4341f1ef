package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.JoinedData;
import io.federa.cli.demo.VerticalDemo;
import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.GradientBoosting;
import java.io.PrintWriter;
import java.nio.file.Path;
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
  /** SecureBoost's cost per tree beside the centralized GBDT's. */
  public record Trees(
      int rows,
      int features,
      int keyBits,
      int cores,
      int trees,
      double secondsPerTree,
      double centralizedSecondsPerTree,
      double ratioToCentralized,
      double decryptionsPerTree,
      Map<String, Long> bytesSentPerTree,
      Double fateSecondsPerTree,
      double auc,
      double centralizedAuc) {}

  @Option(names = "--trees", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int trees;

  @picocli.CommandLine.Mixin VerticalFiles files;

  @Override
  protected Trees execute(Progress progress) throws Exception {
    Path guestFile = files.guestFile();
    Path hostFile = files.hostFile();
    var spec = files.spec(VerticalDemo.Algorithm.SECUREBOOST, trees, false);
    PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
    VerticalDemo.Result run = new VerticalDemo(spec, sink, true).run(progress);
    Table joined = JoinedData.read(guestFile, List.of(hostFile), "id", "y");
    var params = new GbdtParams(GbdtParams.Loss.LOGISTIC, trees, 3, 0.3, 32, 0.1, 1e-3, 1);
    LocalEngine engine = LocalEngine.allCores();
    double central =
        Timing.median(3, () -> GradientBoosting.fit(joined, params, engine, TrainingListener.NONE))
            / trees;
    var perParty = new LinkedHashMap<String, Long>();
    run.training().bytesPer(trees).forEach((p, b) -> perParty.put(Integer.toString(p), b));
    double perTree = run.training().medianSeconds();
    List<Double> decrypted = run.federated().decryptionsPerTree();
    return new Trees(
        joined.rows(),
        joined.features(),
        files.keyBits,
        Runtime.getRuntime().availableProcessors(),
        trees,
        perTree,
        central,
        perTree / central,
        decrypted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
        perParty,
        // FATE's published per-tree cost, worked out for the shipped default_credit shape only
        files.guest == null && files.host == null ? 22.0 : null,
        run.federated().auc(),
        run.centralized().auc());
  }

  @Override
  protected void printText(Trees t, PrintWriter out) {
    out.printf(
        "hetero SecureBoost, %d rows × %d features, %d trees of depth 3, 32 bins, %d-bit Paillier,"
            + " %d cores%n",
        t.rows(), t.features(), t.trees(), t.keyBits(), t.cores());
    out.printf("%-42s %12s%n", "", "per tree");
    out.printf("%-42s %12.2f s%n", "SecureBoost (median after the first)", t.secondsPerTree());
    out.printf(
        "%-42s %12.4f s%n", "centralized GBDT, same parameters", t.centralizedSecondsPerTree());
    out.printf("%-42s %12.0f ×%n", "ratio", t.ratioToCentralized());
    out.printf("%-42s %12.0f%n", "ciphertexts the guest decrypts", t.decryptionsPerTree());
    out.printf("%-42s %12s%n", "bytes sent per party", t.bytesSentPerTree());
    if (t.fateSecondsPerTree() != null) {
      out.printf(
          "%-42s %12.1f s%n", "FATE (published, this shape, estimated)", t.fateSecondsPerTree());
    }
    out.printf("AUC: federated %.4f, centralized %.4f%n", t.auc(), t.centralizedAuc());
  }
}

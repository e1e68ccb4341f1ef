package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.JoinedData;
import io.federa.cli.demo.VerticalDemo;
import io.federa.core.compute.LocalEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench hetero-lr}: seconds per full-batch epoch of hetero LR run as the demo runs it
 * ({@link VerticalDemo}: guest, host and arbiter as three node processes, each file uploaded, the
 * job submitted through flow; real key size), read from the job's {@code iteration_seconds} metric,
 * against one full-batch gradient epoch of the centralized Java LR on the joined data in the same
 * run; and each party's bytes per epoch from the job's audit.
 */
@Command(
    name = "hetero-lr",
    description = "Hetero LR seconds per epoch (a job through flow) against centralized LR.")
public final class HeteroLrBench extends FederaCommand<Object> {
  /** Hetero LR's seconds per epoch beside centralized LR's, and the bytes each party sent. */
  public record Epochs(
      int rows,
      int features,
      int keyBits,
      String method,
      int cores,
      int epochs,
      double secondsPerEpoch,
      double centralizedSecondsPerEpoch,
      double ratioToCentralized,
      double usPerRowFeaturePerCore,
      double fateUsPerRowFeaturePerCore,
      Map<String, Long> bytesSentPerEpoch) {}

  @Option(
      names = "--method",
      defaultValue = "paillier",
      converter = io.federa.cli.demo.KeyOptions.SchemeConverter.class,
      description = "encrypt_param.method: paillier or ou. Default: ${DEFAULT-VALUE}.")
  io.federa.crypto.he.HeScheme method;

  @Option(
      names = "--iterations",
      defaultValue = "4",
      description = "Epochs. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(
      names = "--to-optimum",
      description =
          "Instead: epochs, bytes and seconds until the objective is within 1e-4 of the"
              + " centralized optimum, for SGD, Adam and L-BFGS in one run.")
  boolean toOptimum;

  @Option(
      names = "--max-epochs",
      defaultValue = "60",
      description = "With --to-optimum: each optimizer's epoch cap. Default: ${DEFAULT-VALUE}.")
  int maxEpochs;

  @Option(
      names = "--taylor",
      description =
          "With --to-optimum: train FATE's Taylor loss (sigmoid taylor) and measure against its"
              + " optimum, instead of the exact sigmoid against logistic regression's.")
  boolean taylor;

  @picocli.CommandLine.Mixin VerticalFiles files;

  @Override
  protected Object execute(Progress progress) throws Exception {
    if (toOptimum) {
      return HeteroLrOptimum.run(
          files.guestFile(), files.hostFile(), files.keyBits, maxEpochs, taylor, progress);
    }
    Path guestFile = files.guestFile();
    Path hostFile = files.hostFile();
    var spec = files.spec(VerticalDemo.Algorithm.HETERO_LR, iterations, true, method);
    PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
    VerticalDemo.Result run = new VerticalDemo(spec, sink, true).run(progress);
    Table joined = JoinedData.read(guestFile, List.of(hostFile), "id", "y");
    int n = joined.rows();
    int features = joined.features();
    int cores = Runtime.getRuntime().availableProcessors();
    double epoch = run.training().medianSeconds();
    double central = centralizedEpochSeconds(joined, LocalEngine.allCores());
    var perParty = new LinkedHashMap<String, Long>();
    run.training()
        .bytesPer(run.federated().iterations())
        .forEach((p, b) -> perParty.put(Integer.toString(p), b));
    return new Epochs(
        n,
        features,
        files.keyBits,
        method.fateName(),
        cores,
        run.federated().iterations(),
        epoch,
        central,
        epoch / central,
        epoch * cores * 1e6 / ((double) n * features),
        66.0,
        perParty);
  }

  /** One full-batch gradient of plain LR on the joined columns: z = Xw, r = σ(z) − y, Xᵀr. */
  private static double centralizedEpochSeconds(Table joined, LocalEngine engine) {
    int n = joined.rows();
    double[][] x = new double[joined.features()][];
    for (int j = 0; j < x.length; j++) {
      x[j] = joined.column(j);
    }
    double[] y = joined.labels();
    double[] w = new double[x.length];
    Arrays.fill(w, 0.01);
    return Timing.median(
        21,
        () -> {
          double[] z = new double[n];
          engine.forEachRange(n, (from, to) -> ColumnOps.linearPredictor(x, w, 0, from, to, z));
          double[] grad =
              engine.aggregate(
                  n,
                  () -> new double[x.length],
                  (acc, from, to) -> {
                    for (int i = from; i < to; i++) {
                      double r = ColumnOps.sigmoid(z[i]) - y[i];
                      for (int j = 0; j < x.length; j++) {
                        acc[j] += r * x[j][i];
                      }
                    }
                    return acc;
                  },
                  (l, r) -> {
                    for (int j = 0; j < l.length; j++) {
                      l[j] += r[j];
                    }
                    return l;
                  });
          w[0] += grad[0] * 1e-12;
        });
  }

  @Override
  protected void printText(Object result, PrintWriter out) {
    if (result instanceof HeteroLrOptimum.Report r) {
      out.printf(
          "hetero LR to the centralized optimum + 1e-4 (objective %.6f), %s rows × %s features,"
              + " %s-bit Paillier, guest + host + arbiter nodes on loopback%n",
          r.centralizedObjective(), r.rows(), r.features(), r.keyBits());
      out.printf(
          "%-10s %6s %8s %10s %10s %12s %12s%n",
          "optimizer", "rate", "epochs", "reached at", "seconds", "MB sent", "final gap");
      for (HeteroLrOptimum.Row row : r.optimizers()) {
        out.printf(
            "%-10s %6s %8d %10s %10s %12s %12.2e%n",
            row.optimizer(),
            row.learningRate() == 0 ? "-" : Double.toString(row.learningRate()),
            row.epochsRun(),
            row.reachedAt() == 0 ? "not" : Integer.toString(row.reachedAt()),
            row.reachedAt() == 0 ? "-" : String.format("%.1f", row.secondsToReach()),
            row.reachedAt() == 0 ? "-" : String.format("%.1f", row.bytesToReach() / 1e6),
            row.finalGap());
      }
      return;
    }
    Epochs r = (Epochs) result;
    out.printf(
        "hetero LR, %s rows × %s features, %s-bit %s keys, a flow job of 3 node processes, %s"
            + " cores%n",
        r.rows(), r.features(), r.keyBits(), r.method(), r.cores());
    out.printf("%-40s %12.3f%n", "seconds per epoch (median)", r.secondsPerEpoch());
    out.printf(
        "%-40s %12.5f%n", "centralized LR seconds per epoch", r.centralizedSecondsPerEpoch());
    out.printf("%-40s %12.0f×%n", "ratio", r.ratioToCentralized());
    out.printf(
        "%-40s %12.2f (FATE ≈ 66)%n", "µs per row × feature per core", r.usPerRowFeaturePerCore());
    out.println("bytes sent per epoch: " + r.bytesSentPerEpoch());
  }
}

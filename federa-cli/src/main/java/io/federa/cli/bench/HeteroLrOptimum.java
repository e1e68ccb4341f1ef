package io.federa.cli.bench;

import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.JoinedData;
import io.federa.cli.demo.LocalFederation;
import io.federa.cli.demo.LoopbackNodes;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.federation.MessageKey;
import io.federa.ml.hetero.HeteroLrArbiter;
import io.federa.ml.hetero.HeteroLrGuest;
import io.federa.ml.hetero.HeteroLrHost;
import io.federa.ml.hetero.HeteroLrParams;
import io.federa.ml.hetero.Topology;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.LogisticLoss;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.linear.Standardization;
import io.federa.ml.linear.TaylorLogistic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code federa bench hetero-lr --to-optimum}: how many epochs (rounds), bytes and seconds each
 * optimizer needs before hetero LR's objective comes within 1e-4 of the centralized optimum of the
 * same objective: logistic regression on the joined, standardized rows with the same α (the
 * default, exact sigmoid through the arbiter), or with {@code --taylor} FATE's Taylor loss ({@link
 * TaylorLogistic}, in closed form). Guest, host and arbiter are real nodes in this JVM (gRPC over
 * mutual TLS on loopback), each role on its own thread, real key size; the objective of every epoch
 * is the arbiter's (loss plus the parties' penalty terms), the bytes every node's count when that
 * epoch ended.
 */
final class HeteroLrOptimum {
  /** One optimizer's way to the optimum; {@code reachedAt} 0 when it did not get there. */
  record Row(
      String optimizer,
      double learningRate,
      int epochsRun,
      int reachedAt,
      double secondsToReach,
      long bytesToReach,
      double finalGap,
      String stopped) {}

  /** The centralized optimum and every optimizer's row. */
  record Report(
      int rows, int features, int keyBits, double centralizedObjective, List<Row> optimizers) {}

  private HeteroLrOptimum() {}

  static Report run(
      Path guestFile, Path hostFile, int keyBits, int maxEpochs, boolean taylor, Progress progress)
      throws Exception {
    Table guest = CsvTableReader.read(guestFile, CsvOptions.labeled().withLabelColumn("y"));
    Table host = CsvTableReader.read(hostFile, CsvOptions.unlabeled());
    Map<String, Integer> hostRows = host.indexById();
    List<Integer> g = new ArrayList<>();
    List<Integer> h = new ArrayList<>();
    for (int i = 0; i < guest.rows(); i++) {
      Integer j = hostRows.get(guest.id(i));
      if (j != null) {
        g.add(i);
        h.add(j);
      }
    }
    Table alignedGuest = guest.selectRows(g.stream().mapToInt(Integer::intValue).toArray());
    Table alignedHost = host.selectRows(h.stream().mapToInt(Integer::intValue).toArray());
    Table joined = JoinedData.read(guestFile, List.of(hostFile), "id", "y");
    LocalEngine engine = LocalEngine.allCores();
    HeteroLrParams defaults =
        HeteroLrParams.defaults()
            .withKey(
                keyBits >= 2048
                    ? HeParameters.of(keyBits)
                    : HeParameters.insecureForTesting(keyBits))
            .withSigmoid(taylor ? HeteroLrParams.Sigmoid.TAYLOR : HeteroLrParams.Sigmoid.AUTO);
    Table standardized = Standardization.of(joined, true).apply(joined);
    double optimum =
        taylor
            ? TaylorLogistic.loss(
                standardized,
                TaylorLogistic.fit(standardized, defaults.alpha(), engine),
                defaults.alpha(),
                engine)
            : logisticOptimum(standardized, defaults.alpha(), engine);
    List<Row> rows = new ArrayList<>();
    for (HeteroLrParams.Optimizer o :
        List.of(
            HeteroLrParams.Optimizer.SGD,
            HeteroLrParams.Optimizer.ADAM,
            HeteroLrParams.Optimizer.LBFGS)) {
      double rate = o == HeteroLrParams.Optimizer.SGD ? 0.3 : defaults.learningRate();
      HeteroLrParams params =
          o == HeteroLrParams.Optimizer.LBFGS
              ? defaults.withMaxIter(maxEpochs)
              : defaults
                  .withOptimizer(o)
                  .withLearningRate(rate)
                  .withMaxIter(maxEpochs)
                  .withConvergence(HeteroLrParams.Convergence.LOSS, 0);
      progress.extra("hetero LR to the optimum: " + o.name().toLowerCase());
      rows.add(one(alignedGuest, alignedHost, params, rate, optimum, engine));
    }
    return new Report(joined.rows(), joined.features(), keyBits, optimum, rows);
  }

  /**
   * The objective at centralized LR's optimum: the mean logistic loss plus {@code α/2·|w|²} (the
   * intercept unpenalized), as the arbiter reports it; C = 1/(α·n).
   */
  private static double logisticOptimum(Table table, double alpha, LocalEngine engine) {
    LinearModel central =
        LogisticRegression.fitBinary(
            table,
            LogisticRegressionParams.ofAlpha(alpha, table.rows()),
            engine,
            io.federa.ml.TrainingListener.NONE);
    double[][] columns = new double[table.features()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = table.column(j);
    }
    double[] w = central.weights()[0];
    double loss =
        LogisticLoss.lossAndGradient(
            columns,
            table.labels(),
            w,
            central.intercepts()[0],
            engine,
            new double[columns.length + 1]);
    double penalty = 0;
    for (double x : w) {
      penalty += x * x;
    }
    return loss / table.rows() + 0.5 * alpha * penalty;
  }

  private static Row one(
      Table guest,
      Table host,
      HeteroLrParams params,
      double rate,
      double optimum,
      LocalEngine engine)
      throws Exception {
    try (LoopbackNodes fed =
        LoopbackNodes.create(
                "federa-bench-optimum-",
                Map.of(
                    LocalFederation.GUEST, "guest-org",
                    LocalFederation.HOST, "host-org",
                    LocalFederation.ARBITER, "arbiter-org"))
            .startAll()) {
      MessageKey key = MessageKey.of("bench-" + Long.toHexString(System.nanoTime()), "lr_0", "");
      Topology topology = Topology.arbiter(LocalFederation.ARBITER);
      List<double[]> epochs = new ArrayList<>(); // objective, seconds, bytes
      String[] stopped = {""};
      long t0 = System.nanoTime();
      var arbiter =
          CompletableFuture.runAsync(
              () ->
                  new HeteroLrArbiter(
                          fed.node(LocalFederation.ARBITER),
                          key,
                          LocalFederation.GUEST,
                          List.of(LocalFederation.HOST),
                          params)
                      .fit(
                          new io.federa.ml.TrainingListener() {
                            @Override
                            public void onIteration(int iteration, int planned, double loss) {
                              long bytes = 0;
                              for (int p :
                                  List.of(
                                      LocalFederation.GUEST,
                                      LocalFederation.HOST,
                                      LocalFederation.ARBITER)) {
                                bytes += fed.node(p).bytesSent();
                              }
                              epochs.add(new double[] {loss, Timing.secondsSince(t0), bytes});
                            }

                            @Override
                            public void onStop(boolean converged, String reason) {
                              stopped[0] = reason;
                            }
                          }));
      var hostSide =
          CompletableFuture.runAsync(
              () ->
                  new HeteroLrHost(
                          fed.node(LocalFederation.HOST),
                          key,
                          LocalFederation.GUEST,
                          topology,
                          params,
                          engine)
                      .fit(host));
      new HeteroLrGuest(
              fed.node(LocalFederation.GUEST),
              key,
              List.of(LocalFederation.HOST),
              topology,
              params,
              engine)
          .fit(guest);
      hostSide.get();
      arbiter.get();
      int reached = 0;
      for (int e = 0; e < epochs.size() && reached == 0; e++) {
        if (epochs.get(e)[0] <= optimum + 1e-4) {
          reached = e + 1;
        }
      }
      double[] at = reached > 0 ? epochs.get(reached - 1) : new double[] {0, 0, 0};
      double last = epochs.get(epochs.size() - 1)[0];
      return new Row(
          params.optimizer().name().toLowerCase(),
          params.optimizer() == HeteroLrParams.Optimizer.LBFGS ? 0 : rate,
          epochs.size(),
          reached,
          at[1],
          (long) at[2],
          last - optimum,
          stopped[0]);
    }
  }
}

package io.federa.ml.homo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.ml.ShippedData;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/** Horizontal training between threads, against centralized LR on all parties' rows. */
class HomoTest {
  private static final ExecutorService PARTIES = io.federa.ml.PartyThreads.POOL;
  private static final LocalEngine ENGINE = LocalEngine.allCores();
  private static final int ARBITER = 20000;

  static Table read(String file) {
    return CsvTableReader.read(ShippedData.dir().resolve(file), CsvOptions.labeled());
  }

  static List<Table> parties(String name, String... suffixes) {
    List<Table> out = new ArrayList<>();
    for (String s : suffixes) {
      out.add(read(name + "_homo_" + s + ".csv"));
    }
    return out;
  }

  /** Registers parties 10000, 10001, … on {@code net}, before any of them sends. */
  static List<Integer> register(InProcessFederation.Network net, int count) {
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      ids.add(10000 + p);
      net.party(10000 + p);
    }
    return ids;
  }

  /** Runs {@code fit} for party 10000 + p on {@code data.get(p)}, each on its own thread. */
  static List<CompletableFuture<HomoModel>> start(
      InProcessFederation.Network net,
      MessageKey key,
      List<Table> data,
      HomoParams params,
      java.util.function.BiFunction<HomoParty, Table, HomoModel> fit) {
    List<CompletableFuture<HomoModel>> futures = new ArrayList<>();
    for (int p = 0; p < data.size(); p++) {
      var party = new HomoParty(net.party(10000 + p), key, params);
      Table t = data.get(p);
      futures.add(CompletableFuture.supplyAsync(() -> fit.apply(party, t), PARTIES));
    }
    return futures;
  }

  /** Parameter server: one thread per party plus the arbiter; {@code absent} parties never run. */
  static ParameterServer.Result serve(List<Table> data, HomoParams params, int absent)
      throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "homo_0", "");
    var arbiterSide = net.party(ARBITER); // registered before any party sends to it
    List<Integer> ids = register(net, data.size() + absent);
    List<CompletableFuture<HomoModel>> futures =
        start(net, key, data, params, (p, t) -> p.fit(t, ARBITER));
    var result = new HomoArbiter(arbiterSide, key, ids, params).fit(TrainingListener.NONE);
    for (var f : futures) {
      assertArrayEquals(
          result.model().weights(), f.get().weights(), "every party ends with the global model");
    }
    return result;
  }

  static List<HomoModel> ring(List<Table> data, HomoParams params) throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "homo_0", "");
    List<Integer> ids = register(net, data.size());
    List<CompletableFuture<HomoModel>> futures =
        start(net, key, data, params, (p, t) -> p.fitRing(t, ids, TrainingListener.NONE));
    List<HomoModel> out = new ArrayList<>();
    for (var f : futures) {
      out.add(f.get());
    }
    return out;
  }

  /** Centralized LR (C = 1) on every party's rows: test AUC, or accuracy for several classes. */
  static Table concatAll(List<Table> data) {
    Table all = data.get(0);
    for (int p = 1; p < data.size(); p++) {
      all = concat(all, data.get(p));
    }
    return all;
  }

  static double centralized(List<Table> data, Table test) {
    Table all = concatAll(data);
    var model =
        LogisticRegression.fit(
            all, LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE);
    if (data.get(0).labels().length > 0 && classes(all) == 2) {
      return Metrics.auc(test.labels(), LogisticRegression.predictProbability(model, test, ENGINE));
    }
    double[][] p = LogisticRegression.predictClassProbabilities(model, test, ENGINE);
    int right = 0;
    double[] cls = java.util.Arrays.stream(all.labels()).distinct().sorted().toArray();
    for (int i = 0; i < test.rows(); i++) {
      int best = 0;
      for (int k = 1; k < p[i].length; k++) {
        if (p[i][k] > p[i][best]) {
          best = k;
        }
      }
      right += cls[best] == test.label(i) ? 1 : 0;
    }
    return (double) right / test.rows();
  }

  static double federated(HomoModel model, Table test) {
    if (model.classes().length == 2) {
      double[][] p = model.probabilities(test);
      double[] score = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        score[i] = p[i][0];
      }
      return Metrics.auc(test.labels(), score);
    }
    double[] predicted = model.predictClasses(test);
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == test.label(i) ? 1 : 0;
    }
    return (double) right / predicted.length;
  }

  private static int classes(Table t) {
    return (int) java.util.Arrays.stream(t.labels()).distinct().count();
  }

  private static Table concat(Table a, Table b) {
    int n = a.rows() + b.rows();
    String[] ids = new String[n];
    double[] y = new double[n];
    double[][] cols = new double[a.features()][n];
    for (int i = 0; i < n; i++) {
      Table t = i < a.rows() ? a : b;
      int r = i < a.rows() ? i : i - a.rows();
      ids[i] = t.id(r);
      y[i] = t.label(r);
      for (int j = 0; j < cols.length; j++) {
        cols[j][i] = t.value(r, j);
      }
    }
    return new Table(a.schema(), ids, y, cols);
  }

  @Test
  void breastFedAvg_matchesCentralizedTestAuc() throws Exception {
    List<Table> data = parties("breast", "guest", "host");
    Table test = read("breast_homo_test.csv");
    var r = serve(data, HomoParams.defaults(), 0);
    double fed = federated(r.model(), test);
    double central = centralized(data, test);
    System.out.printf("breast homo: federated AUC %.4f, centralized %.4f%n", fed, central);
    assertEquals(central, fed, 0.01);
  }

  @Test
  void defaultCreditThreeParties_matchesCentralizedTestAuc() throws Exception {
    List<Table> data = parties("default_credit", "guest", "host_1", "host_2");
    Table test = read("default_credit_homo_test.csv");
    var r =
        serve(
            data,
            HomoParams.defaults().withRounds(10).withLocal(1, 0.01, HomoParams.Optimizer.ADAM),
            0);
    double fed = federated(r.model(), test);
    double central = centralized(data, test);
    System.out.printf("default_credit homo: federated AUC %.4f, centralized %.4f%n", fed, central);
    assertEquals(central, fed, 0.01);
  }

  @Test
  void vehicleMultinomialAndMlp_matchCentralizedAccuracy() throws Exception {
    List<Table> data = parties("vehicle_scale", "guest", "host");
    Table test = read("vehicle_scale_homo_test.csv");
    double central = centralized(data, test);
    // the centralized model's penalty: C = 1 over all rows is α = 1/n on the mean loss
    int rows = data.get(0).rows() + data.get(1).rows();
    var lr = serve(data, HomoParams.defaults().withRounds(60).withAlpha(1.0 / rows), 0);
    double fedLr = federated(lr.model(), test);
    var mlp =
        serve(
            data,
            HomoParams.defaults()
                .withRounds(60)
                .withHidden(32)
                .withLocal(2, 0.01, HomoParams.Optimizer.ADAM),
            0);
    double fedMlp = federated(mlp.model(), test);
    System.out.printf(
        "vehicle homo: LR %.4f, MLP %.4f, centralized LR %.4f%n", fedLr, fedMlp, central);
    assertEquals(central, fedLr, 0.01);
    assertTrue(fedMlp >= fedLr, "MLP " + fedMlp + " vs LR " + fedLr);
  }

  @Test
  void ringAllReduce_givesTheParameterServersModel() throws Exception {
    List<Table> data = parties("default_credit", "guest", "host_1", "host_2");
    var params = HomoParams.defaults().withRounds(3);
    double[] ps = serve(data, params, 0).model().weights();
    for (HomoModel m : ring(data, params)) {
      assertArrayEquals(ps, m.weights(), 1e-9);
    }
  }

  @Test
  void aPartyThatNeverAnswers_isLeftOutOfEveryRound_andTheJobFinishes() throws Exception {
    List<Table> data = parties("breast", "guest", "host");
    var params =
        HomoParams.defaults().withRounds(5).withParticipation(1.0, 1, Duration.ofMillis(1500));
    var r = serve(data, params, 1);
    assertEquals(List.of(0, 1, 2, 3, 4), r.missed().get(10002));
    assertEquals(1, r.missed().size());
    assertTrue(federated(r.model(), read("breast_homo_test.csv")) > 0.97);
  }

  @Test
  void fedProxAndFedAdam_alsoLearnOnTheShippedSplit() throws Exception {
    List<Table> data = parties("breast", "guest", "host");
    Table test = read("breast_homo_test.csv");
    double central = centralized(data, test);
    double prox = federated(serve(data, HomoParams.defaults().withProx(0.1), 0).model(), test);
    double adam =
        federated(
            serve(data, HomoParams.defaults().withServer(ServerOptimizer.Kind.FEDADAM, 0.05), 0)
                .model(),
            test);
    System.out.printf(
        "breast homo: FedProx %.4f, FedAdam %.4f, centralized %.4f%n", prox, adam, central);
    assertEquals(central, prox, 0.01);
    assertEquals(central, adam, 0.01);
  }

  @Test
  void skewedDirichletSplit_fedProxAndFedAdamBeatFedAvg(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // 5 parties, 4 classes, Dirichlet α = 0.1: most parties see one or two classes only
    var split =
        io.federa.core.datagen.SyntheticData.horizontal(
            dir, 5000, 10, 4, 5, 0.1, 2000, 11, n -> {});
    List<Table> data = new ArrayList<>();
    for (var f : split.partyFiles()) {
      data.add(CsvTableReader.read(f, CsvOptions.labeled()));
    }
    Table test = CsvTableReader.read(split.testFile(), CsvOptions.labeled());
    double central = centralized(data, test);
    var base = HomoParams.defaults().withRounds(20);
    double avg = federated(serve(data, base, 0).model(), test);
    double prox = federated(serve(data, base.withProx(0.5), 0).model(), test);
    double adam =
        federated(
            serve(data, base.withServer(ServerOptimizer.Kind.FEDADAM, 0.02), 0).model(), test);
    System.out.printf(
        "skewed split (Dirichlet 0.1): FedAvg %.4f, FedProx %.4f, FedAdam %.4f, centralized %.4f%n",
        avg, prox, adam, central);
    // client drift hurts FedAvg on skewed parties; the proximal term and the adaptive server step
    // recover most of it
    assertTrue(prox > avg + 0.03, "FedProx " + prox + " vs FedAvg " + avg);
    assertTrue(adam > avg + 0.03, "FedAdam " + adam + " vs FedAvg " + avg);
    assertEquals(central, prox, 0.03);
    assertEquals(central, adam, 0.03);
  }

  static ParameterServer.Result serveAsync(List<Table> data, HomoParams params, int maxStaleness)
      throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "homo_async", "");
    var arbiterSide = net.party(ARBITER);
    List<Integer> ids = register(net, data.size());
    List<CompletableFuture<HomoModel>> futures =
        start(net, key, data, params, (p, t) -> p.fitAsync(t, ARBITER));
    var result =
        new AsyncHomoArbiter(arbiterSide, key, ids, params)
            .fit(TrainingListener.NONE, maxStaleness, 0.6);
    for (var f : futures) {
      assertArrayEquals(result.model().weights(), f.get().weights());
    }
    return result;
  }

  @Test
  void asynchronousParameterServer_learns_andDropsUpdatesStalerThanTheBound() throws Exception {
    List<Table> data = parties("default_credit", "guest", "host_1", "host_2");
    Table test = read("default_credit_homo_test.csv");
    var params = HomoParams.defaults().withRounds(6).withLocal(1, 0.01, HomoParams.Optimizer.ADAM);
    var loose = serveAsync(data, params, 10);
    double central = centralized(data, test);
    double fed = federated(loose.model(), test);
    System.out.printf("async default_credit: federated AUC %.4f, centralized %.4f%n", fed, central);
    assertEquals(central, fed, 0.01);
    assertEquals(18, loose.losses().size(), "rounds × parties updates applied");
    var strict = serveAsync(data, params, 0);
    int dropped = strict.missed().values().stream().mapToInt(List::size).sum();
    assertTrue(dropped >= 1, "with bound 0, an update from an older model is dropped");
  }
}

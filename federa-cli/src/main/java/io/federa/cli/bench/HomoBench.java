package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.LoopbackNodes;
import io.federa.core.csv.CsvOptions;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.federation.MessageKey;
import io.federa.ml.TrainingListener;
import io.federa.ml.homo.HomoArbiter;
import io.federa.ml.homo.HomoParams;
import io.federa.ml.homo.HomoParty;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench homo}: seconds and bytes per round for N parties and a model of about P
 * parameters, with the arbiter as parameter server and with ring all-reduce, every party a node on
 * loopback (mutual TLS) in this JVM. Local data is tiny so that the exchange dominates.
 */
@Command(
    name = "homo",
    description = "Horizontal rounds: parameter server against ring all-reduce (time and bytes).")
public final class HomoBench extends FederaCommand<HomoBench.Rounds> {
  /** One topology's seconds and bytes per round (no arbiter bytes in a ring). */
  public record Topology(
      double secondsPerRound, Long arbiterBytesPerRound, long partyBytesPerRound) {}

  /** The parameter server beside the ring. */
  public record Rounds(
      int parties, long parameters, int rounds, Topology parameterServer, Topology ring) {}

  @Option(names = "--parties", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int parties;

  @Option(
      names = "--parameters",
      defaultValue = "1000000",
      description = "Default: ${DEFAULT-VALUE}.")
  int parameters;

  @Option(names = "--rounds", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Override
  protected Rounds execute(Progress progress) throws Exception {
    // an MLP d → h → 1 with d = h ≈ √P has about P parameters
    int width = (int) Math.sqrt(parameters);
    List<Table> data = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      data.add(randomTable(width, 8, p));
    }
    var params =
        HomoParams.defaults()
            .withRounds(rounds)
            .withHidden(width)
            .withLocal(1, 0.001, HomoParams.Optimizer.SGD)
            .withParticipation(1.0, parties, Duration.ofMinutes(10));
    return new Rounds(
        parties,
        (long) width * width + 2L * width + 1,
        rounds,
        run(data, params, false),
        run(data, params, true));
  }

  private Topology run(List<Table> data, HomoParams params, boolean ring) throws Exception {
    Map<Integer, String> names = new LinkedHashMap<>();
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      ids.add(10000 + p);
      names.put(10000 + p, "org-" + p);
    }
    if (!ring) {
      names.put(9000, "arbiter");
    }
    ExecutorService pool = Executors.newCachedThreadPool();
    try (LoopbackNodes fed = LoopbackNodes.create("federa-bench-homo", names).startAll()) {
      MessageKey key = MessageKey.of("bench-homo", ring ? "ring" : "ps", "");
      long t0 = System.nanoTime();
      List<CompletableFuture<?>> futures = new ArrayList<>();
      for (int p = 0; p < parties; p++) {
        var party = new HomoParty(fed.node(ids.get(p)), key, params);
        Table t = data.get(p);
        futures.add(
            CompletableFuture.supplyAsync(
                () -> ring ? party.fitRing(t, ids, TrainingListener.NONE) : party.fit(t, 9000),
                pool));
      }
      if (!ring) {
        new HomoArbiter(fed.node(9000), key, ids, params).fit(TrainingListener.NONE);
      }
      for (var f : futures) {
        f.get();
      }
      double seconds = Timing.secondsSince(t0);
      long partyBytes = 0;
      for (int id : ids) {
        partyBytes += fed.node(id).bytesSent();
      }
      return new Topology(
          seconds / rounds,
          ring ? null : fed.node(9000).bytesSent() / rounds,
          partyBytes / parties / rounds);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Table randomTable(int features, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] cols = new double[features][rows];
    double[] y = new double[rows];
    String[] ids = new String[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = seed + "-" + i;
      y[i] = i % 2;
      for (int j = 0; j < features; j++) {
        cols[j][i] = random.nextGaussian();
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      names.add("x" + j);
    }
    return new Table(
        new Schema(CsvOptions.DEFAULT_ID, CsvOptions.DEFAULT_LABEL, names), ids, y, cols);
  }

  @Override
  protected void printText(Rounds r, PrintWriter out) {
    out.printf(
        "%s parties, %,d parameters (8 bytes each), %s rounds, nodes on loopback%n",
        r.parties(), r.parameters(), r.rounds());
    Topology ps = r.parameterServer();
    Topology ring = r.ring();
    out.printf(
        "%-22s %14s %18s %18s%n", "topology", "s per round", "arbiter B/round", "party B/round");
    out.printf(
        "%-22s %14.2f %,18d %,18d%n",
        "parameter server",
        ps.secondsPerRound(),
        ps.arbiterBytesPerRound(),
        ps.partyBytesPerRound());
    out.printf(
        "%-22s %14.2f %18s %,18d%n",
        "ring all-reduce", ring.secondsPerRound(), "-", ring.partyBytesPerRound());
  }
}

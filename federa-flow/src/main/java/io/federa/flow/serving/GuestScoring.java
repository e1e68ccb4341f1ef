package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.flow.component.PartyModel;
import io.federa.flow.component.Predictions;
import io.federa.flow.node.ControlChannel;
import io.federa.ml.hetero.HeteroLrGuestModel;
import io.federa.ml.hetero.HeteroLrParams;
import io.federa.ml.hetero.LrScores;
import io.federa.ml.secureboost.Routing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The guest's answer to one prediction request: its own linear predictor of the rows from the
 * features in the request, every host's partial scores asked for in parallel under the service's
 * deadline, their sum through the model's mean, as the batch predict job computes it ({@link
 * LrScores}, {@link Predictions}). A host that does not answer in time, fails, or lacks a row is
 * handled by the service's policy: the request fails naming the party, or the guest's part alone
 * answers, flagged {@code degraded} with the party named; never a silent zero. A host that could
 * not be reached is not asked again for {@link #RETRY} (the next requests answer by the policy at
 * once; then one request probes it).
 */
final class GuestScoring {
  private final int self;
  private final ServingMetrics metrics;
  private final ExecutorService pool;
  private final HostEndpoints endpoints;

  GuestScoring(int self, ControlChannel channel, ServingMetrics metrics, ExecutorService pool) {
    this.self = self;
    this.endpoints = new HostEndpoints(channel, pool);
    this.metrics = metrics;
    this.pool = pool;
  }

  /** How long a host whose call failed is not asked (one request then probes it again). */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** A host whose last call failed: since when, until when it is not asked, and why. */
  private record Down(long since, long until, String why) {}

  private final Map<Integer, Down> unreachable = new java.util.concurrent.ConcurrentHashMap<>();

  /** One host's answer (or why none). */
  private record HostAnswer(
      int party,
      ServingMessages.Partials partials,
      String instance,
      String error,
      boolean late,
      long nanos) {}

  Serving.Reply predict(
      ServingGuest.Service s, List<String> ids, List<Map<String, Double>> features) {
    long start = System.nanoTime();
    try {
      Serving.Reply reply = score(s, ids, features, start);
      metrics.request(s.name(), reply.degraded() ? "degraded" : "ok", ids.size(), elapsed(start));
      return reply;
    } catch (RuntimeException e) {
      metrics.request(s.name(), "error", ids.size(), elapsed(start));
      throw e;
    }
  }

  private Serving.Reply score(
      ServingGuest.Service s, List<String> ids, List<Map<String, Double>> features, long start) {
    String version =
        s.b() != null && ThreadLocalRandom.current().nextDouble() < s.weight() ? s.b() : s.active();
    Servable servable = s.versions().get(version);
    String[] idArray = ids.toArray(new String[0]);
    Table rows = servable.prepare(idArray, guestColumns(servable, ids, features));
    List<Serving.PartyAnswer> parties = new ArrayList<>();
    if (servable.alone()) { // a horizontal model: this party's own
      Table table = Predictions.homo(rows, ((PartyModel.Homo) servable.model()).model());
      return reply(s, version, ids, table, new boolean[ids.size()][], parties, false, start);
    }
    // hetero LR sums the hosts' partial scores; SecureBoost walks its trees with their decisions
    var lr =
        servable.model() instanceof PartyModel.HeteroLrGuest part
            ? new HeteroLrGuestModel(part.classes(), part.weights(), part.intercepts())
            : null;
    double[][] z = lr == null ? null : LrScores.guestLinear(rows, lr);
    Map<Integer, Routing.Decisions> decisions = new LinkedHashMap<>();

    long deadline = start + TimeUnit.MILLISECONDS.toNanos(s.deadlineMs());
    // every host but the first is asked from the pool; the first from this thread meanwhile
    Map<Integer, CompletableFuture<HostAnswer>> asked = new LinkedHashMap<>();
    for (int k = 1; k < s.hosts().size(); k++) {
      int h = s.hosts().get(k);
      asked.put(h, CompletableFuture.supplyAsync(() -> ask(s, h, version, ids, deadline), pool));
    }
    if (!s.hosts().isEmpty()) {
      int first = s.hosts().get(0);
      var mine = CompletableFuture.completedFuture(ask(s, first, version, ids, deadline));
      Map<Integer, CompletableFuture<HostAnswer>> ordered = new LinkedHashMap<>();
      ordered.put(first, mine);
      ordered.putAll(asked);
      asked = ordered;
    }
    boolean[][] missing = new boolean[ids.size()][];
    List<Integer> hostOrder = s.hosts();
    boolean degraded = false;
    for (var e : asked.entrySet()) {
      int h = e.getKey();
      HostAnswer a = await(e.getValue(), h, deadline);
      double ms = a.nanos() / 1e6;
      if (a.error() != null) {
        metrics.call(s.name(), h, a.late() ? "timeout" : "error");
        if (s.policy() == ServingGuest.Policy.FAIL) {
          throw new FederaException(
              a.late() ? ErrorCode.TIMEOUT : ErrorCode.IO_FAILURE,
              "service "
                  + s.name()
                  + ": party "
                  + h
                  + " (host) "
                  + a.error()
                  + "; the service's policy is fail (deploy with --policy degrade to answer with"
                  + " the guest's part alone, flagged degraded)");
        }
        degraded = true;
        parties.add(new Serving.PartyAnswer(h, "host", false, ms, a.error(), ids.size(), null));
        for (int i = 0; i < ids.size(); i++) {
          mark(missing, i, hostOrder.size(), hostOrder.indexOf(h));
        }
        continue;
      }
      int[] lacking = a.partials().missing();
      if (lacking.length > 0 && s.policy() == ServingGuest.Policy.FAIL) {
        metrics.call(s.name(), h, "missing_row");
        List<String> named = new ArrayList<>();
        for (int i = 0; i < Math.min(5, lacking.length); i++) {
          named.add(ids.get(lacking[i]));
        }
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "service "
                + s.name()
                + ": party "
                + h
                + " (host) has no features for "
                + lacking.length
                + " of the ids, e.g. "
                + named
                + "; the service's policy is fail (--policy degrade answers such rows with the"
                + " guest's part alone, flagged degraded)");
      }
      metrics.call(s.name(), h, "ok");
      if (lr == null) {
        decisions.put(h, a.partials().decisions());
      } else {
        LrScores.addHost(z, a.partials().scores(), h);
      }
      for (int i : lacking) {
        // its score there is 0: the row is answered without this host's part, and says so
        mark(missing, i, hostOrder.size(), hostOrder.indexOf(h));
        degraded = true;
      }
      parties.add(new Serving.PartyAnswer(h, "host", true, ms, null, lacking.length, a.instance()));
    }
    Table idsOnly = new Table(new Schema("id", null, List.of()), idArray, null, new double[0][]);
    Table table;
    if (lr == null) {
      var model = ((PartyModel.SecureBoostGuest) servable.model()).model();
      int[][] leaves = Routing.leaves(model, self, rows, decisions);
      table =
          Predictions.secureBoost(idsOnly, model, Routing.leafSums(model, leaves, 0, ids.size()));
    } else {
      double[][] p = LrScores.means(z, null, servable.objective());
      table =
          Predictions.table(
              servable.objective() != HeteroLrParams.Objective.LOGISTIC, idsOnly, lr.classes(), p);
    }
    return reply(s, version, ids, table, missing, parties, degraded, start);
  }

  /** The answer from the prediction table; {@code missing[i][k]}: row i lacks host k's part. */
  private Serving.Reply reply(
      ServingGuest.Service s,
      String version,
      List<String> ids,
      Table table,
      boolean[][] missing,
      List<Serving.PartyAnswer> parties,
      boolean degraded,
      long start) {
    List<Serving.Prediction> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Map<String, Double> probabilities = null;
      for (int f = 2; f < table.features(); f++) {
        if (probabilities == null) {
          probabilities = new LinkedHashMap<>();
        }
        probabilities.put(
            table.schema().featureNames().get(f).substring("prob_".length()), table.value(i, f));
      }
      List<Integer> without = new ArrayList<>();
      if (missing[i] != null) {
        for (int k = 0; k < s.hosts().size(); k++) {
          if (missing[i][k]) {
            without.add(s.hosts().get(k));
          }
        }
      }
      out.add(
          new Serving.Prediction(
              ids.get(i),
              table.value(i, 0),
              table.value(i, 1),
              probabilities,
              !without.isEmpty(),
              without.isEmpty() ? null : without,
              s.versions().get(version).creditScore(table.value(i, 0))));
    }
    parties.add(
        0, new Serving.PartyAnswer(self, "guest", true, elapsed(start) / 1e6, null, 0, null));
    return new Serving.Reply(s.name(), version, out, degraded, parties);
  }

  private HostAnswer ask(
      ServingGuest.Service s, int h, String version, List<String> ids, long deadline) {
    long t0 = System.nanoTime();
    long left = deadline - t0;
    if (left <= 0) {
      return new HostAnswer(h, null, null, "was not asked: the deadline passed first", true, 0);
    }
    Down down = unreachable.get(h);
    if (down != null && t0 < down.until()) {
      return new HostAnswer(
          h,
          null,
          null,
          "is unreachable (its call failed "
              + (t0 - down.since()) / 1_000_000
              + " ms ago: "
              + down.why()
              + "; asked again after "
              + RETRY.toMillis()
              + " ms)",
          true,
          0);
    }
    try {
      var answer = endpoints.score(h, new ServingMessages.Score(s.name(), version, ids), deadline);
      unreachable.remove(h);
      return new HostAnswer(
          h, answer.partials(), answer.instance(), null, false, System.nanoTime() - t0);
    } catch (FederaException e) {
      boolean late = e.code() == ErrorCode.TIMEOUT;
      if (late || e.code() == ErrorCode.IO_FAILURE) {
        // not asked again for a while: the next requests answer at once, by the policy
        long now = System.nanoTime();
        unreachable.put(h, new Down(now, now + RETRY.toNanos(), e.getMessage()));
      }
      String why =
          late
              ? "did not answer within the deadline of "
                  + s.deadlineMs()
                  + " ms ("
                  + e.getMessage()
                  + ")"
              : "failed: " + e.getMessage();
      return new HostAnswer(h, null, null, why, late, System.nanoTime() - t0);
    }
  }

  private static HostAnswer await(CompletableFuture<HostAnswer> f, int h, long deadline) {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return new HostAnswer(h, null, null, "did not answer within the service's deadline", true, 0);
    } catch (ExecutionException e) {
      return new HostAnswer(h, null, null, "failed: " + e.getCause(), false, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.INTERNAL, "interrupted", e);
    }
  }

  private static void mark(boolean[][] missing, int row, int hosts, int k) {
    if (missing[row] == null) {
      missing[row] = new boolean[hosts];
    }
    missing[row][k] = true;
  }

  /** The guest's raw columns in the model's input order, from each row's named features. */
  private static double[][] guestColumns(
      Servable servable, List<String> ids, List<Map<String, Double>> features) {
    List<String> inputs = servable.inputs();
    double[][] raw = new double[inputs.size()][ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      Map<String, Double> row = features.get(i);
      for (int j = 0; j < raw.length; j++) {
        Double v = row == null ? null : row.get(inputs.get(j));
        if (v == null) {
          throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "row "
                  + i
                  + " (id "
                  + io.federa.core.Names.shown(ids.get(i))
                  + ") lacks the feature '"
                  + inputs.get(j)
                  + "'; the model version "
                  + servable.version()
                  + " needs "
                  + inputs);
        }
        if (Double.isNaN(v) && !servable.acceptsMissing()) {
          throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "row "
                  + i
                  + "'s feature '"
                  + inputs.get(j)
                  + "' is null; only a SecureBoost model routes missing values, and only a pipeline"
                  + " with FeatureImputation fills them");
        }
        raw[j][i] = v;
      }
    }
    return raw;
  }

  private static long elapsed(long start) {
    return System.nanoTime() - start;
  }
}

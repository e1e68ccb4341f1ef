package io.federa.ml.homo;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.TrainingListener;
import io.federa.ml.WireNumbers;
import io.federa.ml.optim.QuasiNewton;
import io.federa.ml.optim.QuasiNewtonDecider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arbiter as parameter server of horizontal training (McMahan et al. 2017, FedProx, FedOpt).
 * Each round it samples {@code fraction} of the parties (at least {@code minUpdates}), sends every
 * party the global model (and whether to train), waits until the round's deadline for the sampled
 * parties' models and sample counts, averages them weighted by samples, and applies its {@link
 * ServerOptimizer}. A party that does not answer in time is left out of the round and logged; it
 * takes part again when it answers a later round. With strategy {@code LBFGS} the parties send
 * their full-batch gradients instead and the arbiter steps by L-BFGS on their sum ({@link
 * io.federa.ml.optim.QuasiNewton}): the centralized optimum of the same objective, every party in
 * every round. Training stops on convergence ({@code tol}) or after {@code rounds}; the parties
 * hear an early stop in the next round's message. Sends never block a round: they run in the
 * background, so a dead party cannot stall the others.
 *
 * <p><b>What each party learns.</b> The arbiter: every sampled party's model after local training
 * (with {@code LBFGS}: its full-batch gradient at the global model) and its sample count and
 * training loss each round (secure aggregation, a later addition, hides the individual models
 * behind masks that cancel in the sum). A party: the global model each round and the union of the
 * parties' label values. Nobody sees another party's rows.
 */
public final class HomoArbiter {
  private static final Logger LOG = LoggerFactory.getLogger(HomoArbiter.class);

  private final Federation federation;
  private final HomoMessages messages;
  private final List<Integer> parties;
  private final HomoParams params;
  private final ParameterServer shared;

  public HomoArbiter(
      Federation federation, MessageKey key, List<Integer> parties, HomoParams params) {
    this.federation = federation;
    this.messages = new HomoMessages(key);
    this.parties = List.copyOf(parties);
    this.params = params;
    this.shared = new ParameterServer(federation, messages, this.parties, params);
  }

  public ParameterServer.Result fit(TrainingListener listener) {
    ExecutorService senders = Executors.newCachedThreadPool();
    try {
      return run(listener, senders);
    } finally {
      senders.shutdown();
    }
  }

  private ParameterServer.Result run(TrainingListener listener, ExecutorService senders) {
    ParameterServer.Setup st = shared.setup(senders);
    double[] classes = st.classes();
    int features = st.features();
    List<Integer> joined = st.joined();
    Map<Integer, List<Integer>> missed = st.missed();
    List<CompletableFuture<Void>> pending = st.pending();
    Mlp model = params.model(features, classes.length);
    double[] w = model.initialParameters(params.seed());
    ServerOptimizer server = new ServerOptimizer(params.server(), params.serverLearningRate());
    SplittableRandom sampler = new SplittableRandom(params.seed() ^ 0x9E3779B97F4A7C15L);
    List<Double> losses = new ArrayList<>();
    int take = Math.max(params.minUpdates(), (int) Math.ceil(params.fraction() * joined.size()));
    take = Math.min(take, joined.size());
    boolean lbfgs = params.server() == ServerOptimizer.Kind.LBFGS;
    QuasiNewton quasi = new QuasiNewton();
    QuasiNewtonDecider decider =
        new QuasiNewtonDecider(params.rounds(), params.tol(), false, false);
    RoundConvergence averaging = new RoundConvergence(params);
    String reason = "";
    boolean converged = false;
    int r = 0;
    for (; r < params.rounds(); r++) {
      List<Integer> chosen = sample(sampler, joined, take);
      double[] message = new double[w.length + 1];
      System.arraycopy(w, 0, message, 1, w.length);
      shared.broadcast(
          pending, senders, messages.global(r), PayloadKind.MODEL_UPDATE, message, chosen);
      long deadline = System.nanoTime() + params.roundDeadline().toNanos();
      double[] sum = new double[w.length];
      double count = 0;
      double lossSum = 0;
      int updates = 0;
      for (int party : chosen) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        double[] update;
        try {
          update =
              WireNumbers.doubles(
                  federation.receive(party, messages.update(r), java.time.Duration.ofMillis(left)));
        } catch (FederaException e) {
          if (e.code() != ErrorCode.TIMEOUT) {
            throw e;
          }
          missed.computeIfAbsent(party, p -> new ArrayList<>()).add(r);
          LOG.warn("party {} missed round {}: no update within the round's deadline", party, r);
          continue;
        }
        if (update.length != w.length + 2) {
          throw new FederaException(
              ErrorCode.PROTOCOL,
              "party " + party + " sent a model of the wrong size in round " + r);
        }
        count += update[0];
        lossSum += update[1];
        for (int k = 0; k < w.length; k++) {
          sum[k] += update[k + 2];
        }
        updates++;
      }
      if (lbfgs && updates < joined.size()) {
        throw new FederaException(
            ErrorCode.TIMEOUT,
            "strategy lbfgs needs every party's gradient each round, and "
                + (joined.size() - updates)
                + " part(ies) missed round "
                + r
                + ": restart their nodes and rerun the job, or pick strategy fedavg, which goes on"
                + " without stragglers");
      }
      if (updates < params.minUpdates() || count == 0) {
        LOG.warn(
            "round {} got {} updates, fewer than the {} needed: the global model is kept",
            r,
            updates,
            params.minUpdates());
        losses.add(Double.NaN);
        continue;
      }
      for (int k = 0; k < w.length; k++) {
        sum[k] /= count;
      }
      if (lbfgs) {
        double penalty = model.addL2(w, params.alpha(), sum);
        decider.begin();
        decider.add(quasi.report(w, sum, penalty), "the arbiter");
        QuasiNewton.Step step = decider.step(lossSum / count, r);
        w = w.clone();
        quasi.apply(step, w);
        losses.add(decider.objective());
        listener.onIteration(r + 1, params.rounds(), decider.objective());
        if (step.last()) {
          converged = decider.converged();
          reason = decider.reason();
          r++;
          break;
        }
        continue;
      }
      w = server.step(w, sum);
      double loss = lossSum / count;
      losses.add(loss);
      listener.onIteration(r + 1, params.rounds(), loss);
      if (averaging.done(loss, r)) {
        converged = averaging.converged();
        reason = averaging.reason();
        r++;
        break;
      }
    }
    if (r < params.rounds()) { // stopped early: the parties hear it in the next round's message
      double[] stop = new double[w.length + 1];
      stop[0] = -1;
      shared.broadcast(pending, senders, messages.global(r), PayloadKind.CONTROL, stop, null);
    }
    listener.onStop(converged, reason);
    shared.broadcast(pending, senders, messages.finalModel(), PayloadKind.MODEL_UPDATE, w, null);
    // deliveries to live parties finish quickly; a dead party's are left to its node's outbox
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(params.roundDeadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("some parties did not take the final model in time: {}", e.toString());
    }
    return new ParameterServer.Result(new HomoModel(model, w, classes), losses, missed);
  }

  private static List<Integer> sample(SplittableRandom random, List<Integer> from, int take) {
    Integer[] shuffled = from.toArray(Integer[]::new);
    for (int i = shuffled.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    List<Integer> chosen = new ArrayList<>(Arrays.asList(shuffled).subList(0, take));
    chosen.sort(null);
    return chosen;
  }
}

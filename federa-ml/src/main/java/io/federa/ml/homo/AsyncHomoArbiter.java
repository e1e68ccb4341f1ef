package io.federa.ml.homo;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.TrainingListener;
import io.federa.ml.WireNumbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous parameter server (FedAsync, Xie et al. 2019): each party trains from the model it
 * last received and sends its result with that model's version; the arbiter mixes each update in as
 * it arrives, {@code w ← (1 − a)·w + a·w_party} with {@code a = mix / (1 + staleness)}, where
 * staleness is how many versions the global model moved since the party's copy; an update staler
 * than {@code maxStaleness} is dropped. The party then gets the current model. Training ends after
 * {@code rounds × parties} applied updates, or when no update arrives within a round deadline.
 *
 * <p>The parties' side is {@link HomoParty#fitAsync}. What each party learns is what the
 * synchronous arbiter's doc says, per update instead of per round.
 */
public final class AsyncHomoArbiter {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncHomoArbiter.class);

  private final Federation federation;
  private final HomoMessages messages;
  private final HomoParams params;
  private final ParameterServer server;

  public AsyncHomoArbiter(
      Federation federation, MessageKey key, List<Integer> parties, HomoParams params) {
    this.federation = federation;
    this.messages = new HomoMessages(key);
    this.params = params;
    this.server = new ParameterServer(federation, messages, List.copyOf(parties), params);
  }

  public ParameterServer.Result fit(TrainingListener listener, int maxStaleness, double mix) {
    if (params.server() == ServerOptimizer.Kind.LBFGS) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "strategy lbfgs needs the synchronous arbiter: pick fedavg for asynchronous training");
    }
    ExecutorService senders = Executors.newCachedThreadPool();
    try {
      ParameterServer.Setup st = server.setup(senders);
      Mlp model = params.model(st.features(), st.classes().length);
      double[] w = model.initialParameters(params.seed());
      java.util.concurrent.BlockingQueue<double[]> arrivals =
          new java.util.concurrent.LinkedBlockingQueue<>();
      Map<Integer, Integer> step = new java.util.concurrent.ConcurrentHashMap<>();
      Map<Integer, List<Integer>> dropped = new LinkedHashMap<>(st.missed());
      for (int party : st.joined()) {
        step.put(party, 0);
        sendModel(st.pending(), senders, party, 0, 0, w);
        Thread listenerThread =
            new Thread(
                () -> {
                  for (int k = 0; ; k++) {
                    try {
                      double[] u =
                          WireNumbers.doubles(
                              federation.receive(party, messages.asyncUpdate(k), params.timeout()));
                      double[] tagged = new double[u.length + 1];
                      tagged[0] = party;
                      System.arraycopy(u, 0, tagged, 1, u.length);
                      arrivals.add(tagged);
                    } catch (RuntimeException e) {
                      return; // the party is gone, or training ended
                    }
                  }
                },
                "async-updates-" + party);
        listenerThread.setDaemon(true);
        listenerThread.start();
      }
      int version = 0;
      int target = params.rounds() * st.joined().size();
      List<Double> losses = new ArrayList<>();
      while (version < target) {
        double[] u;
        try {
          u = arrivals.poll(params.roundDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (u == null) {
          LOG.warn("no update within the round deadline at version {}: training stops", version);
          break;
        }
        int party = (int) u[0];
        int base = (int) u[1];
        int staleness = version - base;
        if (u.length != w.length + 4) {
          throw new FederaException(
              ErrorCode.PROTOCOL, "party " + party + " sent a model of the wrong size");
        }
        if (staleness > maxStaleness) {
          dropped.computeIfAbsent(party, p -> new ArrayList<>()).add(version);
          LOG.info("update of party {} is {} versions stale: dropped", party, staleness);
        } else {
          double a = mix / (1 + staleness);
          for (int k = 0; k < w.length; k++) {
            w[k] = (1 - a) * w[k] + a * u[k + 4];
          }
          version++;
          double loss = u[3] / u[2];
          losses.add(loss);
          listener.onIteration(version, target, loss);
        }
        int next = step.merge(party, 1, Integer::sum);
        sendModel(st.pending(), senders, party, next, version < target ? version : -1, w);
      }
      // the parties still training get the stop marker with the final model
      for (int party : st.joined()) {
        int next = step.merge(party, 1, Integer::sum);
        sendModel(st.pending(), senders, party, next, -1, w);
      }
      try {
        CompletableFuture.allOf(st.pending().toArray(CompletableFuture[]::new))
            .get(params.roundDeadline().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("some parties did not take the final model in time: {}", e.toString());
      }
      return new ParameterServer.Result(new HomoModel(model, w, st.classes()), losses, dropped);
    } finally {
      senders.shutdown();
    }
  }

  private void sendModel(
      List<CompletableFuture<Void>> pending,
      ExecutorService senders,
      int party,
      int step,
      int version,
      double[] w) {
    double[] message = new double[w.length + 1];
    message[0] = version;
    System.arraycopy(w, 0, message, 1, w.length);
    byte[] bytes = WireNumbers.doubles(message);
    pending.add(
        CompletableFuture.runAsync(
            () ->
                federation.send(party, messages.asyncModel(step), bytes, PayloadKind.MODEL_UPDATE),
            senders));
  }
}

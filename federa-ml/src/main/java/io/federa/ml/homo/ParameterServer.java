package io.federa.ml.homo;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.WireNumbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both parameter servers ({@link HomoArbiter}, synchronous, and {@link AsyncHomoArbiter})
 * share: gathering the parties' label values and feature counts before training, sending to every
 * party in the background (a dead party never stalls a round), and the outcome of a run.
 */
final class ParameterServer {
  private static final Logger LOG = LoggerFactory.getLogger(ParameterServer.class);

  /** The outcome: the model, the loss of each round, and the rounds each party missed. */
  public record Result(HomoModel model, List<Double> losses, Map<Integer, List<Integer>> missed) {}

  private final Federation federation;
  private final HomoMessages messages;
  private final List<Integer> parties;
  private final HomoParams params;

  ParameterServer(
      Federation federation, HomoMessages messages, List<Integer> parties, HomoParams params) {
    this.federation = federation;
    this.messages = messages;
    this.parties = parties;
    this.params = params;
  }

  /** What the parties told the arbiter before training. */
  record Setup(
      double[] classes,
      int features,
      List<Integer> joined,
      Map<Integer, List<Integer>> missed,
      List<CompletableFuture<Void>> pending) {}

  /** The parties' labels and feature counts, gathered before training; tells them the classes. */
  Setup setup(ExecutorService senders) {
    // label alignment: the union of the parties' label values, and one feature count
    TreeSet<Double> labels = new TreeSet<>();
    int features = -1;
    List<Integer> joined = new ArrayList<>();
    Map<Integer, List<Integer>> missed = new LinkedHashMap<>();
    long setupDeadline = System.nanoTime() + params.roundDeadline().toNanos();
    for (int party : parties) {
      double[] got;
      try {
        long left = Math.max(1, (setupDeadline - System.nanoTime()) / 1_000_000);
        got =
            WireNumbers.doubles(
                federation.receive(party, messages.labels(), java.time.Duration.ofMillis(left)));
      } catch (FederaException e) {
        if (e.code() != ErrorCode.TIMEOUT) {
          throw e;
        }
        LOG.warn("party {} did not join (no labels within the round deadline): left out", party);
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < params.rounds(); r++) {
          all.add(r);
        }
        missed.put(party, all);
        continue;
      }
      joined.add(party);
      int f = (int) got[0];
      if (features >= 0 && f != features) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "party "
                + party
                + " has "
                + f
                + " features, the others "
                + features
                + "; horizontal training needs the same columns at every party");
      }
      features = f;
      for (int k = 1; k < got.length; k++) {
        labels.add(got[k]);
      }
    }
    if (joined.size() < params.minUpdates()) {
      throw new FederaException(
          ErrorCode.TIMEOUT,
          joined.size()
              + " of "
              + parties.size()
              + " parties joined, fewer than the "
              + params.minUpdates()
              + " a round needs; start the missing parties' nodes and rerun");
    }
    double[] classes = labels.stream().mapToDouble(Double::doubleValue).toArray();
    if (classes.length < 2) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the parties' labels have one value only: nothing to learn");
    }
    double[] setup = new double[classes.length + 1];
    setup[0] = features;
    System.arraycopy(classes, 0, setup, 1, classes.length);
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    broadcast(pending, senders, messages.setup(), PayloadKind.CONTROL, setup, null);
    return new Setup(classes, features, joined, missed, pending);
  }

  /**
   * Sends {@code values} to every party in the background; with {@code chosen}, the first value is
   * 1 for the chosen parties and 0 for the others.
   */
  void broadcast(
      List<CompletableFuture<Void>> pending,
      ExecutorService senders,
      MessageKey message,
      PayloadKind kind,
      double[] values,
      List<Integer> chosen) {
    for (int party : parties) {
      double[] v = values;
      if (chosen != null) {
        v = values.clone();
        v[0] = chosen.contains(party) ? 1 : 0;
      }
      byte[] bytes = WireNumbers.doubles(v);
      pending.add(
          CompletableFuture.runAsync(() -> federation.send(party, message, bytes, kind), senders));
    }
    pending.removeIf(CompletableFuture::isDone);
  }
}

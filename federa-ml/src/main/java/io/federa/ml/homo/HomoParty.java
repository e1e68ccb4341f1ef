package io.federa.ml.homo;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.TrainingListener;
import io.federa.ml.WireNumbers;
import java.util.List;
import java.util.TreeSet;

/**
 * A party of horizontal training: its rows never leave it; it trains the global model locally and
 * sends back the result with its sample count — to the arbiter ({@link HomoArbiter}), or, without
 * an arbiter, into a ring all-reduce with the other parties ({@link #fitRing}), after which every
 * party holds the same average and applies the same server step.
 *
 * <p><b>What each party learns</b> in the ring: the sum of all parties' sample-weighted models and
 * counts each round (hence the average), and partial sums of a chunk of them over a run of
 * neighbours during the scatter-reduce — with two parties, the other party's model. Use the
 * arbiter, or secure aggregation when it lands, where that matters.
 */
public final class HomoParty {
  private final Federation federation;
  private final HomoMessages messages;
  private final HomoParams params;

  public HomoParty(Federation federation, MessageKey key, HomoParams params) {
    this.federation = federation;
    this.messages = new HomoMessages(key);
    this.params = params;
  }

  /** Tells the arbiter this party's label values; returns the job's classes from its setup. */
  private double[] joinArbiter(Table data, int arbiter) {
    federation.send(
        arbiter,
        messages.labels(),
        WireNumbers.doubles(labelsMessage(data)),
        PayloadKind.PLAINTEXT_AGGREGATE);
    double[] setup =
        WireNumbers.doubles(federation.receive(arbiter, messages.setup(), params.timeout()));
    double[] classes = java.util.Arrays.copyOfRange(setup, 1, setup.length);
    return classes;
  }

  /** Trains with the arbiter {@code arbiter}; returns the final global model. */
  public HomoModel fit(Table data, int arbiter) {
    double[] classes = joinArbiter(data, arbiter);
    Mlp model = params.model(data.features(), classes.length);
    double[][] x = data.toRowMajor();
    int[] y = HomoModel.indices(data.labels(), classes);
    for (int r = 0; r < params.rounds(); r++) {
      double[] global =
          WireNumbers.doubles(federation.receive(arbiter, messages.global(r), params.timeout()));
      if (global[0] == 0) {
        continue; // not sampled this round
      }
      if (global[0] < 0) {
        break; // the arbiter stopped early: the final model follows
      }
      double[] w = java.util.Arrays.copyOfRange(global, 1, global.length);
      if (params.server() == ServerOptimizer.Kind.LBFGS) {
        double[] grad = new double[w.length];
        double loss = LocalTrainer.fullGradient(model, w, x, y, grad);
        federation.send(
            arbiter,
            messages.update(r),
            WireNumbers.doubles(update(grad, x.length, loss)),
            PayloadKind.MODEL_UPDATE);
        continue;
      }
      double loss =
          LocalTrainer.train(model, w, x, y, params, params.seed() * 31 + r + federation.self());
      federation.send(
          arbiter,
          messages.update(r),
          WireNumbers.doubles(update(w, x.length, loss)),
          PayloadKind.MODEL_UPDATE);
    }
    double[] w =
        WireNumbers.doubles(federation.receive(arbiter, messages.finalModel(), params.timeout()));
    return new HomoModel(model, w, classes);
  }

  /**
   * Trains with the other parties of {@code ring} (every party's id, this one included) and no
   * arbiter; {@code listener} hears each round's mean training loss.
   */
  public HomoModel fitRing(Table data, List<Integer> ring, TrainingListener listener) {
    requireAveraging("the ring");
    List<Integer> order = ring.stream().sorted().toList();
    // label alignment: everyone sends its labels to everyone
    double[] mine = labelsMessage(data);
    for (int party : order) {
      if (party != federation.self()) {
        federation.send(
            party, messages.labels(), WireNumbers.doubles(mine), PayloadKind.PLAINTEXT_AGGREGATE);
      }
    }
    TreeSet<Double> labels = new TreeSet<>();
    for (int party : order) {
      double[] got =
          party == federation.self()
              ? mine
              : WireNumbers.doubles(federation.receive(party, messages.labels(), params.timeout()));
      if ((int) got[0] != data.features()) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "party " + party + " has " + (int) got[0] + " features, this party " + data.features());
      }
      for (int k = 1; k < got.length; k++) {
        labels.add(got[k]);
      }
    }
    double[] classes = labels.stream().mapToDouble(Double::doubleValue).toArray();
    Mlp model = params.model(data.features(), classes.length);
    double[][] x = data.toRowMajor();
    int[] y = HomoModel.indices(data.labels(), classes);
    double[] w = model.initialParameters(params.seed());
    ServerOptimizer server = new ServerOptimizer(params.server(), params.serverLearningRate());
    for (int r = 0; r < params.rounds(); r++) {
      double[] local = w.clone();
      double loss =
          LocalTrainer.train(
              model, local, x, y, params, params.seed() * 31 + r + federation.self());
      double[] sum =
          RingAllReduce.sum(
              federation,
              messages.ringRound(r),
              order,
              update(local, x.length, loss),
              params.timeout());
      double count = sum[0];
      double[] average = new double[w.length];
      for (int k = 0; k < w.length; k++) {
        average[k] = sum[k + 2] / count;
      }
      w = server.step(w, average);
      listener.onIteration(r + 1, params.rounds(), sum[1] / count);
    }
    return new HomoModel(model, w, classes);
  }

  private static double[] labelsMessage(Table data) {
    double[] distinct = java.util.Arrays.stream(data.labels()).distinct().sorted().toArray();
    double[] out = new double[distinct.length + 1];
    out[0] = data.features();
    System.arraycopy(distinct, 0, out, 1, distinct.length);
    return out;
  }

  /**
   * {@code [n, n·loss, n·w…]}: what is summed across parties (strategy {@code LBFGS}: the gradient
   * in place of the model).
   */
  private static double[] update(double[] w, int n, double loss) {
    double[] out = new double[w.length + 2];
    out[0] = n;
    out[1] = n * loss;
    for (int k = 0; k < w.length; k++) {
      out[k + 2] = n * w[k];
    }
    return out;
  }

  /**
   * Trains with an asynchronous arbiter ({@link AsyncHomoArbiter}): from each model it gets, trains
   * locally and sends the result with the model's version, until the arbiter's stop marker (version
   * −1) brings the final model.
   */
  public HomoModel fitAsync(Table data, int arbiter) {
    requireAveraging("the asynchronous arbiter");
    double[] classes = joinArbiter(data, arbiter);
    Mlp model = params.model(data.features(), classes.length);
    double[][] x = data.toRowMajor();
    int[] y = HomoModel.indices(data.labels(), classes);
    for (int k = 0; ; k++) {
      double[] got =
          WireNumbers.doubles(
              federation.receive(arbiter, messages.asyncModel(k), params.timeout()));
      double[] w = java.util.Arrays.copyOfRange(got, 1, got.length);
      if (got[0] < 0) {
        return new HomoModel(model, w, classes);
      }
      double loss =
          LocalTrainer.train(model, w, x, y, params, params.seed() * 31 + k + federation.self());
      double[] u = new double[w.length + 3];
      u[0] = got[0];
      u[1] = x.length;
      u[2] = x.length * loss;
      System.arraycopy(w, 0, u, 3, w.length);
      federation.send(
          arbiter, messages.asyncUpdate(k), WireNumbers.doubles(u), PayloadKind.MODEL_UPDATE);
    }
  }

  private void requireAveraging(String mode) {
    if (params.server() == ServerOptimizer.Kind.LBFGS) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "strategy lbfgs needs the synchronous arbiter, not "
              + mode
              + ": pick fedavg (or another averaging strategy) here");
    }
  }
}

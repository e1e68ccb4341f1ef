package io.federa.ml.hetero;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HePublicKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.TrainingListener;
import io.federa.ml.WireNumbers;
import io.federa.ml.optim.QuasiNewton;
import io.federa.ml.optim.QuasiNewtonDecider;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's side of hetero logistic regression with an arbiter (FATE's coordinated HeteroLR; S.
 * Hardy et al., "Private federated learning on vertically partitioned data via entity resolution
 * and additively homomorphic encryption", 2017). Per mini-batch (the full batch by default) of each
 * epoch, on rows already aligned by PSI:
 *
 * <ol>
 *   <li>each host sends {@code [[u_h]] = [[X_h·w_h]]} (and {@code [[Σ u_h²]]});
 *   <li>the guest forms the encrypted residual {@code [[d]]} and sends it to the hosts: by default
 *       {@code σ(z) − y} exactly, {@code z = Σ_h u_h + u_g} with {@code u_g = X_g·w_g + b}, the
 *       arbiter turning the shuffled {@code [[z]]} into {@code [[σ(z)]]} ({@link ExactSigmoid});
 *       with {@code sigmoid: taylor} {@code ¼·Σ_h[[u_h]] + (¼·u_g + ½ − y)}, the first-order Taylor
 *       expansion of {@code σ(z) − y} at 0 (FATE's);
 *   <li>every party computes its encrypted gradient {@code [[Σ_i d_i·x_i]]}, masks it with random
 *       {@code r}, the arbiter decrypts {@code g + r}, the party removes {@code r}, divides by
 *       {@code n}, adds {@code α·w}, and updates its own weights;
 *   <li>the guest sends the arbiter its part of the encrypted loss, {@code [[Σ y·z]]} (the arbiter
 *       has {@code Σ log(1 + e^z)}), or the Taylor loss {@code [[Σ(log 2 − ½·y'·z + ⅛·z²)]]}
 *       ({@code y' = 2y − 1}); after each epoch the arbiter decides whether to go on, by the change
 *       of the loss or (with {@code WEIGHT_DIFF}) of the weights, whose squared change each party
 *       reports.
 * </ol>
 *
 * <p>Multi-class labels (three or more values) train one such model per class, one-vs-rest, under
 * one key; prediction takes the class of the highest probability. Feature values enter the
 * encrypted dot products as 18-bit scalars, each column with the fractional bits its range leaves.
 *
 * <p><b>What each party learns.</b> The guest: its own weights and the number of rows; from the
 * hosts, only ciphertexts it cannot decrypt. A host: its own weights; from the guest, only {@code
 * [[d]]}, which it cannot decrypt — neither labels nor the guest's scores. The arbiter: with the
 * exact sigmoid, each batch's scores as an unordered list ({@link ExactSigmoid} says what that
 * shows); masked gradients, which are statistically independent of the true ones (80-bit masks),
 * and the loss of each epoch (as in FATE), and with {@code WEIGHT_DIFF} the size of each party's
 * weight change. Everyone learns the number of models (classes). With federated prediction, the
 * guest learns each host's partial score {@code X_h·w_h} of the predicted rows (not the host's
 * features or weights). Nobody learns another party's rows.
 *
 * <p>Without an arbiter ({@link Topology.TwoParty}, Yang et al. 2019) the guest and its one host
 * each hold a key pair: the host forms its residual under the guest's key, each decrypts the
 * other's masked gradient, the host decrypts the guest's masked loss, and the guest decides when to
 * stop; each variant's batch step reads top to bottom in {@link GuestSteps}.
 */
public final class HeteroLrGuest {
  private final Federation federation;
  private final HeteroLrMessages messages;
  private final List<Integer> hosts;
  private final Topology topology;
  private final HeteroLrParams params;
  private final ComputingEngine engine;
  private final GuestSteps steps;
  private io.federa.ml.Checkpoints checkpoints = io.federa.ml.Checkpoints.NONE;

  public HeteroLrGuest(
      Federation federation,
      MessageKey key,
      List<Integer> hosts,
      Topology topology,
      HeteroLrParams params,
      ComputingEngine engine) {
    this.federation = federation;
    this.messages = new HeteroLrMessages(key);
    this.hosts = List.copyOf(hosts);
    this.topology = topology;
    this.params = params;
    this.engine = engine;
    this.steps = new GuestSteps(federation, this.hosts, params, engine);
    Topology.check(topology, hosts.size(), params);
  }

  /** Saves this party's state every few epochs and resumes from the last common checkpoint. */
  public HeteroLrGuest withCheckpoints(io.federa.ml.Checkpoints store) {
    this.checkpoints = store;
    return this;
  }

  /**
   * Trains on {@code data} (labels 0/1, or three or more classes; rows aligned with the hosts').
   */
  public HeteroLrGuestModel fit(Table data) {
    return fit(data, TrainingListener.NONE);
  }

  /**
   * As {@link #fit(Table)}; without an arbiter the guest learns the loss and tells {@code listener}
   * (with one, the arbiter does).
   */
  public HeteroLrGuestModel fit(Table data, TrainingListener listener) {
    return fit(data, null, listener);
  }

  /**
   * As {@link #fit(Table, TrainingListener)} with {@code offset[i]} added to row i's linear
   * predictor (hetero Poisson's log exposure, {@link Exposure}; null: none).
   */
  public HeteroLrGuestModel fit(Table original, double[] offset, TrainingListener listener) {
    io.federa.ml.linear.Standardization units =
        io.federa.ml.linear.Standardization.of(original, params.standardize());
    Table data = units.apply(original);
    double[] classes =
        params.regression() ? new double[] {1} : HeteroLrGuestModel.classesOf(data.labels());
    byte[] setup = WireNumbers.doubles(new double[] {classes.length, data.rows()});
    for (int h : hosts) {
      federation.send(h, messages.setup(), setup, PayloadKind.CONTROL);
    }
    List<Integer> others = new ArrayList<>(hosts);
    PartyGradient part = new PartyGradient(data, true);
    GuestBatch.Keys keys;
    if (topology instanceof Topology.WithArbiter a) {
      federation.send(a.party(), messages.setup(), setup, PayloadKind.CONTROL);
      keys = GuestBatch.Keys.of(receiveKey(a.party()), null, part);
      others.add(a.party());
    } else {
      HeKeyPair own = PartyGradient.keyPair(params);
      federation.send(
          hosts.get(0),
          messages.guestPublicKey(),
          HeKeyCodec.encodePublicKey(own.publicKey()),
          PayloadKind.PUBLIC_KEY);
      keys = GuestBatch.Keys.of(receiveKey(hosts.get(0)), own, part);
    }
    int resumeAt =
        Checkpoint.agree(
            federation, messages, federation.self(), others, checkpoints, params.timeout());
    Checkpoint from = resumeAt < 0 ? null : Checkpoint.decode(checkpoints.load(resumeAt));
    double[][] full = new double[classes.length][];
    int firstModel = 0;
    if (from != null) {
      System.arraycopy(from.done(), 0, full, 0, from.done().length);
      firstModel = from.stopped() ? from.model() + 1 : from.model();
      if (from.stopped()) {
        full[from.model()] = from.w();
      }
    }
    for (int k = firstModel; k < classes.length; k++) {
      double[] y = new double[data.rows()];
      for (int i = 0; i < y.length; i++) {
        y[i] = params.regression() ? data.label(i) : data.label(i) == classes[k] ? 1 : 0;
      }
      Progress progress =
          new Progress(listener, k * params.maxIter(), classes.length * params.maxIter());
      Checkpoint resume = from != null && !from.stopped() && from.model() == k ? from : null;
      full[k] = fitOne(part, y, offset, keys, k, progress, resume, full);
    }
    return HeteroLrGuestModel.of(classes, full, units);
  }

  private HePublicKey receiveKey(int holder) {
    return HeKeyCodec.decodePublicKey(
        federation.receive(holder, messages.publicKey(), params.timeout()), params.key());
  }

  /** Epoch numbering across the class models, for the listener. */
  private record Progress(TrainingListener listener, int offset, int planned) {}

  private double[] fitOne(
      PartyGradient part,
      double[] y,
      double[] offset,
      GuestBatch.Keys keys,
      int k,
      Progress progress,
      Checkpoint resume,
      double[][] done) {
    double[][] columns = part.columns();
    int n = part.rows();
    // features, then the intercept
    double[] w = resume == null ? new double[part.width()] : resume.w().clone();
    LocalOptimizer optimizer = new LocalOptimizer(params, w.length, true);
    QuasiNewton quasi = params.quasiNewton() ? new QuasiNewton() : null;
    QuasiNewtonDecider decider =
        quasi != null && !(topology instanceof Topology.WithArbiter)
            ? Convergence.quasiNewton(params, false)
            : null;
    int[][] batches = params.batches(n);
    Convergence convergence = new Convergence(params);
    if (resume != null) {
      resume.restore(optimizer, convergence, quasi, decider);
    }
    for (int t = resume == null ? 0 : resume.epoch() + 1; t < params.maxIter(); t++) {
      HeteroLrMessages.Epoch epoch = messages.epoch(k, t);
      double[] start = w.clone();
      double[] gradient = null;
      double epochLoss = 0;
      for (int b = 0; b < batches.length; b++) {
        GuestBatch.Rows rows =
            new GuestBatch.Rows(
                batches[b][0], batches[b][1], new double[batches[b][1] - batches[b][0]], y);
        ColumnOps.linearPredictor(columns, w, 0, rows.from(), rows.to(), rows.u());
        for (int i = 0; offset != null && i < rows.size(); i++) {
          rows.u()[i] += offset[rows.from() + i];
        }
        GuestSteps.Step step =
            topology instanceof Topology.WithArbiter a
                ? steps.withArbiter(a.party(), epoch.batch(b), part, keys, rows)
                : steps.twoParty(epoch.batch(b), part, keys, rows);
        epochLoss += step.loss();
        gradient = step.gradient();
        for (int j = 0; j < gradient.length; j++) {
          gradient[j] /= rows.size();
        }
        if (quasi == null) {
          optimizer.update(w, gradient);
        }
      }
      boolean last;
      if (decider != null) {
        QuasiNewton.Step s =
            Convergence.decide(
                federation,
                epoch,
                hosts,
                t,
                epochLoss / n,
                decider,
                Convergence.report(quasi, w, gradient, true, params),
                params);
        progress
            .listener()
            .onIteration(progress.offset() + t + 1, progress.planned(), decider.objective());
        quasi.apply(s, w);
        last = s.last();
        if (last) {
          progress.listener().onStop(decider.converged(), decider.reason());
        }
      } else if (quasi != null && topology instanceof Topology.WithArbiter a) {
        last = Convergence.follow(federation, a.party(), epoch, quasi, w, gradient, true, params);
      } else if (topology instanceof Topology.WithArbiter a) {
        last = Convergence.follow(federation, a.party(), epoch, w, start, true, params);
      } else {
        last =
            convergence.decide(
                federation,
                epoch,
                hosts,
                t,
                epochLoss / n,
                Convergence.squaredChange(w, start),
                Convergence.penalty(start, true, params));
        progress
            .listener()
            .onIteration(progress.offset() + t + 1, progress.planned(), convergence.objective());
      }
      last |= t == params.maxIter() - 1;
      Checkpoint.saveIfDue(
          checkpoints,
          params,
          k,
          t,
          last,
          done,
          w,
          optimizer,
          convergence.previous(),
          null,
          quasi,
          decider);
      if (last) {
        if (decider == null && !(topology instanceof Topology.WithArbiter)) {
          progress.listener().onStop(convergence.converged(), convergence.reason());
        }
        break;
      }
    }
    return w;
  }

  /**
   * Federated prediction: per class model, the probability of that class, for every row (hetero
   * LinR: the one model's predicted value); {@link LrGuestPrediction}.
   */
  public double[][] probabilities(Table rows, HeteroLrGuestModel model, String tag) {
    return probabilities(rows, null, model, tag);
  }

  /** As {@link #probabilities(Table, HeteroLrGuestModel, String)} with each row's offset added. */
  public double[][] probabilities(
      Table rows, double[] offset, HeteroLrGuestModel model, String tag) {
    return new LrGuestPrediction(federation, messages, hosts, params)
        .probabilities(rows, offset, model, tag);
  }

  /** Federated prediction: the class of every row (binary: 1 when P ≥ ½). */
  public double[] predictClasses(Table rows, HeteroLrGuestModel model, String tag) {
    return model.predictedClasses(probabilities(rows, model, tag));
  }
}

package io.federa.ml.hetero;

import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HePrivateKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.TrainingListener;
import io.federa.ml.WireNumbers;
import io.federa.ml.optim.QuasiNewtonDecider;
import java.util.ArrayList;
import java.util.List;

/**
 * The arbiter's side of hetero LR: it makes the key pair (Paillier or OU), decrypts the guest's and
 * hosts' masked gradients and the loss, and decides when to stop. See {@link HeteroLrGuest} for the
 * protocol.
 */
public final class HeteroLrArbiter {
  private final Federation federation;
  private final HeteroLrMessages messages;
  private final int guest;
  private final List<Integer> hosts;
  private final HeteroLrParams params;
  private final io.federa.core.compute.ComputingEngine engine =
      io.federa.core.compute.LocalEngine.allCores();

  public HeteroLrArbiter(
      Federation federation,
      MessageKey key,
      int guest,
      List<Integer> hosts,
      HeteroLrParams params) {
    this.federation = federation;
    this.messages = new HeteroLrMessages(key);
    this.guest = guest;
    this.hosts = List.copyOf(hosts);
    this.params = params;
  }

  /**
   * Runs the protocol; returns the objective (mean loss over the rows plus the penalty) of every
   * epoch of every class model, one model after the other. The listener counts epochs across
   * models.
   */
  private io.federa.ml.Checkpoints checkpoints = io.federa.ml.Checkpoints.NONE;

  /** Saves this party's state every few epochs and resumes from the last common checkpoint. */
  public HeteroLrArbiter withCheckpoints(io.federa.ml.Checkpoints store) {
    this.checkpoints = store;
    return this;
  }

  public List<Double> fit(TrainingListener listener) {
    double[] setup =
        WireNumbers.doubles(federation.receive(guest, messages.setup(), params.timeout()));
    int models = (int) setup[0];
    int rows = (int) setup[1];
    int[][] sizes = params.batches(rows);
    boolean exact = params.exactSigmoid(true);
    HeKeyPair keys = PartyGradient.keyPair(params);
    HePrivateKey sk = keys.privateKey();
    byte[] publicKey = HeKeyCodec.encodePublicKey(keys.publicKey());
    for (int party : parties()) {
      federation.send(party, messages.publicKey(), publicKey, PayloadKind.PUBLIC_KEY);
    }
    int resumeAt =
        Checkpoint.agree(federation, messages, guest, List.of(), checkpoints, params.timeout());
    Checkpoint from = resumeAt < 0 ? null : Checkpoint.decode(checkpoints.load(resumeAt));
    List<Double> losses = new ArrayList<>();
    List<Double> indexed = new ArrayList<>(); // (epoch across models + 1, loss) pairs
    int firstModel = 0;
    if (from != null) {
      // the losses before the checkpoint are told again, so a resumed run's curve is whole
      for (int i = 0; i + 1 < from.losses().length; i += 2) {
        indexed.add(from.losses()[i]);
        indexed.add(from.losses()[i + 1]);
        losses.add(from.losses()[i + 1]);
        listener.onIteration(
            (int) from.losses()[i], models * params.maxIter(), from.losses()[i + 1]);
      }
      firstModel = from.stopped() ? from.model() + 1 : from.model();
    }
    for (int k = firstModel; k < models; k++) {
      Convergence rule = new Convergence(params);
      QuasiNewtonDecider quasi =
          params.quasiNewton() ? Convergence.quasiNewton(params, true) : null;
      boolean resuming = from != null && !from.stopped() && from.model() == k;
      if (resuming) {
        rule.restore(from.previous());
        if (quasi != null && from.decider() != null) {
          quasi.restore(from.decider());
        }
      }
      for (int t = resuming ? from.epoch() + 1 : 0; t < params.maxIter(); t++) {
        HeteroLrMessages.Epoch epoch = messages.epoch(k, t);
        double total = 0;
        for (int b = 0; b < sizes.length; b++) {
          HeteroLrMessages.Batch batch = epoch.batch(b);
          double softplus =
              exact
                  ? ExactSigmoid.serve(
                      federation,
                      guest,
                      batch,
                      sk,
                      sizes[b][1] - sizes[b][0],
                      params.timeout(),
                      engine)
                  : 0;
          decryptFor(guest, batch.guestGradient(), sk);
          for (int h : hosts) {
            decryptFor(h, batch.hostGradient(), sk);
          }
          Ciphertext loss =
              CiphertextCodec.decode(
                  keys.publicKey(), federation.receive(guest, batch.loss(), params.timeout()))[0];
          double decrypted =
              FixedPointEncoder.decode(sk.decryptEncoded(loss).signedValue(), loss.exponent());
          // exact: Σ log(1 + e^z) − Σ y·z; else the Taylor (or LinR's, Poisson's) loss itself
          total += exact ? softplus - decrypted : decrypted;
        }
        boolean last =
            (quasi != null
                    ? Convergence.decide(
                            federation, epoch, parties(), t, total / rows, quasi, null, params)
                        .last()
                    : rule.decide(federation, epoch, parties(), t, total / rows, 0, 0))
                || t == params.maxIter() - 1;
        // the objective: the mean loss plus every party's penalty term, as FATE reports it
        double value = quasi != null ? quasi.objective() : rule.objective();
        losses.add(value);
        indexed.add((double) (k * params.maxIter() + t + 1));
        indexed.add(value);
        listener.onIteration(k * params.maxIter() + t + 1, models * params.maxIter(), value);
        Checkpoint.saveIfDue(
            checkpoints,
            params,
            k,
            t,
            last,
            null,
            null,
            null,
            rule.previous(),
            indexed.stream().mapToDouble(Double::doubleValue).toArray(),
            null,
            quasi);
        if (last) {
          listener.onStop(
              quasi != null ? quasi.converged() : rule.converged(),
              (models > 1 ? "class model " + k + ": " : "")
                  + (quasi != null ? quasi.reason() : rule.reason()));
          break;
        }
      }
    }
    return losses;
  }

  private List<Integer> parties() {
    List<Integer> all = new ArrayList<>();
    all.add(guest);
    all.addAll(hosts);
    return all;
  }

  private void decryptFor(int party, MessageKey request, HePrivateKey sk) {
    PartyGradient.decryptFor(federation, party, request, sk, params.timeout());
  }
}

package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.paillier.Ciphertext;
import io.federa.crypto.paillier.CiphertextCodec;
import io.federa.crypto.paillier.FixedPointEncoder;
import io.federa.crypto.paillier.PaillierKeyCodec;
import io.federa.crypto.paillier.PaillierKeyPair;
import io.federa.crypto.paillier.PaillierPrivateKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/**
 * The arbiter's side of hetero LR: it makes the Paillier key pair, decrypts the guest's and hosts'
 * masked gradients and the loss, and decides when to stop. See {@link HeteroLrGuest} for the
 * protocol.
 */
public final class HeteroLrArbiter {
  private final Federation federation;
  private final MessageKey key;
  private final int guest;
  private final List<Integer> hosts;
  private final HeteroLrParams params;

  public HeteroLrArbiter(
      Federation federation,
      MessageKey key,
      int guest,
      List<Integer> hosts,
      HeteroLrParams params) {
    this.federation = federation;
    this.key = key;
    this.guest = guest;
    this.hosts = List.copyOf(hosts);
    this.params = params;
  }

  /**
   * Runs the protocol; returns the loss (mean Taylor loss over the rows) of every epoch of every
   * class model, one model after the other. The listener counts epochs across models.
   */
  private io.federa.ml.Checkpoints checkpoints = io.federa.ml.Checkpoints.NONE;

  /** Saves this party's state every few epochs and resumes from the last common checkpoint. */
  public HeteroLrArbiter withCheckpoints(io.federa.ml.Checkpoints store) {
    this.checkpoints = store;
    return this;
  }

  public List<Double> fit(TrainingListener listener) {
    double[] setup =
        Wire.doubles(federation.receive(guest, key.withTag("setup"), params.timeout()));
    int models = (int) setup[0];
    int rows = (int) setup[1];
    int batches = params.batches(rows).length;
    PaillierKeyPair keys = PartyGradient.keyPair(params);
    PaillierPrivateKey sk = keys.privateKey();
    byte[] publicKey = PaillierKeyCodec.encodePublicKey(keys.publicKey());
    for (int party : parties()) {
      federation.send(party, key.withTag("public_key"), publicKey, PayloadKind.PUBLIC_KEY);
    }
    int resumeAt =
        Checkpoint.agree(federation, key, guest, List.of(), checkpoints, params.timeout());
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
      String model = "m" + k + "/";
      StopRule rule = new StopRule(params);
      boolean resuming = from != null && !from.stopped() && from.model() == k;
      if (resuming) {
        rule.restore(from.previous());
      }
      for (int t = resuming ? from.epoch() + 1 : 0; t < params.maxIter(); t++) {
        double total = 0;
        for (int b = 0; b < batches; b++) {
          String it = model + "e" + t + "/b" + b + "/";
          decryptFor(guest, it + "guest_gradient", sk);
          for (int h : hosts) {
            decryptFor(h, it + "host_gradient", sk);
          }
          Ciphertext loss =
              CiphertextCodec.decode(
                  keys.publicKey(),
                  federation.receive(guest, key.withTag(it + "loss"), params.timeout()))[0];
          total += FixedPointEncoder.decode(sk.decryptEncoded(loss).signedValue(), loss.exponent());
        }
        double value = total / rows;
        losses.add(value);
        indexed.add((double) (k * params.maxIter() + t + 1));
        indexed.add(value);
        listener.onIteration(k * params.maxIter() + t + 1, models * params.maxIter(), value);
        boolean last =
            rule.decide(federation, key, model + "e" + t + "/", parties(), t, value, 0)
                || t == params.maxIter() - 1;
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
            indexed.stream().mapToDouble(Double::doubleValue).toArray());
        if (last) {
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

  /**
   * A party's end of an epoch: reports its squared weight change when the arbiter judges
   * convergence by weights, then learns whether to go on.
   */
  static boolean goOn(
      Federation federation,
      int arbiter,
      MessageKey key,
      String epoch,
      double[] w,
      double[] start,
      HeteroLrParams params) {
    if (params.convergence() == HeteroLrParams.Convergence.WEIGHT_DIFF) {
      double squared = 0;
      for (int j = 0; j < w.length; j++) {
        squared += (w[j] - start[j]) * (w[j] - start[j]);
      }
      federation.send(
          arbiter,
          key.withTag(epoch + "weight_diff"),
          Wire.doubles(new double[] {squared}),
          PayloadKind.PLAINTEXT_AGGREGATE);
    }
    byte[] go = federation.receive(arbiter, key.withTag(epoch + "continue"), params.timeout());
    if (go.length != 1) {
      throw new FederaException(ErrorCode.PROTOCOL, "the arbiter's continue flag is malformed");
    }
    return go[0] != 0;
  }

  private void decryptFor(int party, String tag, PaillierPrivateKey sk) {
    PartyGradient.decryptFor(federation, party, key, tag, sk, params.timeout());
  }
}

package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HePrivateKey;
import io.federa.crypto.he.HePublicKey;
import io.federa.federation.Federation;
import io.federa.federation.PayloadKind;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * The exact residual {@code σ(z) − y} of hetero LR ({@link HeteroLrParams.Sigmoid#EXACT}), both
 * sides of one round trip. The guest holds {@code [[z]] = Σ_h[[u_h]] + u_g} per row of the batch
 * (under the arbiter's key), puts the rows in a fresh uniformly random order, and sends them; the
 * arbiter decrypts the scores, answers {@code [[σ(z)]]} under its own key in the order it got them,
 * and keeps {@code Σ log(1 + e^z)} for the batch's loss; the guest puts the answer back in row
 * order and subtracts the labels. The logistic loss itself is then what every party's gradient and
 * the arbiter's loss are of — no Taylor expansion — so the optimum is centralized LR's.
 *
 * <p><b>What it shows.</b> The arbiter sees, per batch of each epoch, the batch's scores {@code z}
 * as an unordered list: not which row a score belongs to (a new order every epoch), not the guest's
 * or any host's part, not the labels. Scores move little from one epoch to the next, so it could
 * roughly follow a score through the epochs by its rank; over T epochs that is, per anonymous row,
 * the projection of its (standardised, joined) features onto the T weight vectors. The guest sees
 * only ciphertexts under the arbiter's key, the hosts nothing new. The shuffled ciphertexts keep
 * the hosts' randomness: tying a score back to its row would need a host's help, and a host with
 * the arbiter's help can decrypt the residual already.
 */
final class ExactSigmoid {
  private ExactSigmoid() {}

  /** The encoding of {@code σ(z)} and of the labels subtracted from it: 32 fractional bits. */
  static FixedPointEncoder encoder(HePublicKey pk) {
    return new FixedPointEncoder(pk, 32, 2);
  }

  /**
   * Guest: sends {@code [[z]]} ({@code scores}, row order) shuffled to the arbiter and returns
   * {@code [[σ(z) − y]]} in row order.
   */
  static Ciphertext[] residual(
      Federation federation,
      int arbiter,
      HeteroLrMessages.Batch batch,
      Ciphertext[] scores,
      GuestBatch.Rows rows,
      Duration timeout,
      SecureRandom random,
      ComputingEngine engine) {
    int n = scores.length;
    int[] order = new int[n]; // order[k]: the row sent k-th
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher–Yates
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    Ciphertext[] shuffled = new Ciphertext[n];
    for (int k = 0; k < n; k++) {
      shuffled[k] = scores[order[k]];
    }
    HePublicKey pk = scores[0].publicKey();
    federation.send(
        arbiter,
        batch.scores(),
        CiphertextCodec.encode(shuffled, engine),
        PayloadKind.HE_CIPHERTEXTS);
    Ciphertext[] answer =
        CiphertextCodec.decode(pk, federation.receive(arbiter, batch.sigmoids(), timeout), engine);
    requireCount(
        "the arbiter answered " + answer.length + " sigmoids for " + n + " scores",
        answer.length == n);
    FixedPointEncoder labels = encoder(pk);
    Ciphertext[] residual = new Ciphertext[n];
    engine.forEachRange(
        n,
        256,
        (lo, hi) -> {
          for (int k = lo; k < hi; k++) {
            int i = order[k];
            residual[i] = answer[k].addPlain(labels.encode(-rows.y()[rows.from() + i]));
          }
        });
    return residual;
  }

  /**
   * Arbiter: decrypts the {@code expected} shuffled scores the guest sent, answers {@code
   * [[σ(z)]]}, and returns {@code Σ log(1 + e^z)}, the label-free part of the batch's loss.
   */
  static double serve(
      Federation federation,
      int guest,
      HeteroLrMessages.Batch batch,
      HePrivateKey sk,
      int expected,
      Duration timeout,
      ComputingEngine engine) {
    Ciphertext[] scores =
        CiphertextCodec.decode(
            sk.publicKey(), federation.receive(guest, batch.scores(), timeout), engine);
    requireCount(
        "the guest sent " + scores.length + " scores for a batch of " + expected + " rows",
        scores.length == expected);
    double[] z = EncryptedVectors.decrypt(sk, scores, engine);
    double[] sigmoid = new double[z.length];
    double softplus = 0;
    for (int k = 0; k < z.length; k++) {
      sigmoid[k] = ColumnOps.sigmoid(z[k]);
      softplus += ColumnOps.log1pExp(z[k]);
    }
    federation.send(
        guest,
        batch.sigmoids(),
        CiphertextCodec.encode(
            EncryptedVectors.encrypt(encoder(sk.publicKey()), sigmoid, engine), engine),
        PayloadKind.HE_CIPHERTEXTS);
    return softplus;
  }

  private static void requireCount(String what, boolean ok) {
    if (!ok) {
      throw new FederaException(
          ErrorCode.PROTOCOL, what + "; the parties run different versions of hetero LR");
    }
  }
}

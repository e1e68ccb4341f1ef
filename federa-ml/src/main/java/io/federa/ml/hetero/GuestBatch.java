package io.federa.ml.hetero;

import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HePublicKey;

/**
 * The guest's arithmetic on one batch of hetero LR, the same with or without an arbiter: the
 * encrypted residual {@code [[d]]} from the hosts' forward parts and its own, and the batch's
 * encrypted loss, and with the exact sigmoid the scores {@code [[z]]}. {@link HeteroLrGuest} says
 * to whom they go.
 */
final class GuestBatch {
  private GuestBatch() {}

  /**
   * The run's keys: the key holder's public key (the arbiter's, or the host's without one), the
   * guest's own pair without an arbiter (else null), and the encoders made from them.
   */
  record Keys(
      HePublicKey pk,
      HeKeyPair own,
      FixedPointEncoder[] features,
      FixedPointEncoder fine,
      FixedPointEncoder finest,
      FixedPointEncoder lossScalars) {
    static Keys of(HePublicKey pk, HeKeyPair own, PartyGradient part) {
      // the loss's per-row scalars (−½y' + ¼u_g) with 10 fractional bits: the Taylor loss is for
      // tracking and the stop rule; rounding errors of 2^-11 per row, of random sign, move the
      // mean loss by ~10^-5 at 30,000 rows, far below its tolerance, and short scalars keep the
      // dot product to one grouped pass
      return new Keys(
          pk,
          own,
          part.featureEncoders(pk),
          new FixedPointEncoder(pk, 34, 32), // exponent of ¼·[[u_h]]
          new FixedPointEncoder(pk, 64, 32), // exponent of the loss terms
          new FixedPointEncoder(pk, 10, 32));
    }
  }

  /** One batch's rows: {@code [from, to)}, the guest's scores {@code u} and the 0/1 labels. */
  record Rows(int from, int to, double[] u, double[] y) {
    int size() {
      return to - from;
    }
  }

  /**
   * The hosts' encrypted forward parts of a batch, summed: {@code [[u_h]]} and {@code [[Σu_h²]]};
   * for Poisson also the one host's {@code [[exp(u_h)]]} (else null).
   */
  record Forward(Ciphertext[] sum, Ciphertext squares, Ciphertext[] exp) {}

  /**
   * [[d]] = ¼·[[u_h]] + (¼·u_g + ½ − y) per row of the batch (logistic, Taylor at 0), [[u_h]] +
   * (u_g − y) (linear, exact) or exp(u_g)·[[exp(u_h)]] − y (Poisson, exact).
   */
  static Ciphertext[] residual(
      Forward forward,
      Keys keys,
      Rows rows,
      HeteroLrParams.Objective objective,
      ComputingEngine engine) {
    Ciphertext[] residual = new Ciphertext[rows.size()];
    engine.forEachRange(
        residual.length,
        64,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            double y = rows.y()[rows.from() + i];
            residual[i] =
                switch (objective) {
                  case LINEAR -> forward.sum()[i].addPlain(keys.fine().encode(rows.u()[i] - y));
                  case POISSON -> // exp(u_g)·[[exp(u_h)]] − y
                      forward
                          .exp()[i]
                          .multiply(keys.fine().encode(Math.exp(rows.u()[i])))
                          .addPlain(keys.fine().encode(-y));
                  case LOGISTIC ->
                      forward
                          .sum()[i]
                          .scaleByPowerOfTwo(-2)
                          .addPlain(keys.fine().encode(0.25 * rows.u()[i] + 0.5 - y));
                };
          }
        });
    return residual;
  }

  /** {@code [[z]] = Σ_h[[u_h]] + u_g} per row of the batch, for the exact sigmoid. */
  static Ciphertext[] scores(Forward forward, Keys keys, Rows rows, ComputingEngine engine) {
    FixedPointEncoder encoder = FixedPointEncoder.defaults(keys.pk());
    Ciphertext[] z = new Ciphertext[rows.size()];
    engine.forEachRange(
        z.length,
        256,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            z[i] = forward.sum()[i].addPlain(encoder.encode(rows.u()[i]));
          }
        });
    return z;
  }

  /**
   * The labelled part of the batch's logistic loss {@code Σ(log(1 + e^z) − y·z)}: {@code [[Σ
   * y·z]]}, the sum of the scores of the rows labelled 1 (the arbiter has the rest).
   */
  static Ciphertext labelledScores(Ciphertext[] z, Keys keys, Rows rows) {
    Ciphertext sum = keys.pk().encrypt(FixedPointEncoder.defaults(keys.pk()).encode(0));
    for (int i = 0; i < z.length; i++) {
      if (rows.y()[rows.from() + i] == 1) {
        sum = sum.add(z[i]);
      }
    }
    return sum;
  }

  /**
   * The batch's loss, encrypted: logistic, the Taylor loss Σ(log 2 − ½y'z + ⅛z²); Poisson, Σ(exp(z)
   * − y·z); linear, the squared loss ½Σ(z − y)² = ½Σr² + Σr·u_h + ½Σu_h² with r = u_g − y; z = u_g
   * + u_h (the hosts' cross terms left out with several hosts, as FATE does).
   */
  static Ciphertext loss(
      Forward forward,
      Keys keys,
      Rows rows,
      HeteroLrParams.Objective objective,
      ComputingEngine engine) {
    if (objective == HeteroLrParams.Objective.POISSON) { // Σ exp(u_g)·[[e_h]] − Σy·[[u_h]] − Σy·u_g
      double[] mu = new double[rows.size()];
      double[] minusY = new double[rows.size()];
      double plain = 0;
      for (int i = 0; i < mu.length; i++) {
        double y = rows.y()[rows.from() + i];
        mu[i] = Math.exp(rows.u()[i]);
        minusY[i] = -y;
        plain -= y * rows.u()[i];
      }
      return EncryptedVectors.dot(forward.exp(), mu, keys.lossScalars(), engine)
          .add(EncryptedVectors.dot(forward.sum(), minusY, keys.lossScalars(), engine))
          .addPlain(keys.finest().encode(plain));
    }
    if (objective == HeteroLrParams.Objective.LINEAR) {
      double[] r = new double[rows.size()];
      double plain = 0;
      for (int i = 0; i < r.length; i++) {
        r[i] = rows.u()[i] - rows.y()[rows.from() + i];
        plain += 0.5 * r[i] * r[i];
      }
      return EncryptedVectors.dot(forward.sum(), r, keys.lossScalars(), engine)
          .add(forward.squares().scaleByPowerOfTwo(-1))
          .addPlain(keys.finest().encode(plain));
    }
    double[] scalars = new double[rows.size()];
    double plain = rows.size() * Math.log(2);
    for (int i = 0; i < scalars.length; i++) {
      double ySigned = 2 * rows.y()[rows.from() + i] - 1;
      double u = rows.u()[i];
      scalars[i] = -0.5 * ySigned + 0.25 * u;
      plain += -0.5 * ySigned * u + 0.125 * u * u;
    }
    return EncryptedVectors.dot(forward.sum(), scalars, keys.lossScalars(), engine)
        .add(forward.squares().scaleByPowerOfTwo(-3))
        .addPlain(keys.finest().encode(plain));
  }
}

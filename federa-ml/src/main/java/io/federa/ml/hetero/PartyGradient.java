package io.federa.ml.hetero;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HePublicKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.WireNumbers;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * What guest and hosts do alike: hold their feature columns, compute {@code [[Xᵀd]]} on a batch,
 * and turn it into a plain gradient through the arbiter behind a random mask.
 */
final class PartyGradient {
  /**
   * Bits of a feature value as a dot-product scalar, sign apart: each column gets the fractional
   * bits its largest |x| leaves, at least 8 (a standardised column of |x| < 8 keeps 9: steps of
   * 0.002 standard deviations). Gradients are thus those of features rounded to that grid, which
   * moved no AUC in the tests by more than 10^-4; in exchange a column's scalars take at most
   * ~16,000 distinct values, so its encrypted dot product is one grouped pass over the rows ({@code
   * MultiExponentiation.sparseProduct}) instead of two Pippenger windows (18 bits: 5.3 s per
   * default_credit epoch, 14 bits: 4.6–4.9 s).
   */
  static final int FEATURE_BITS = 14;

  private final double[][] columns;
  private final int rows;

  /** The table's feature columns, plus a column of ones when {@code intercept}. */
  PartyGradient(Table table, boolean intercept) {
    rows = table.rows();
    int d = table.features();
    columns = new double[d + (intercept ? 1 : 0)][];
    for (int j = 0; j < d; j++) {
      columns[j] = table.column(j);
    }
    if (intercept) {
      columns[d] = new double[rows];
      java.util.Arrays.fill(columns[d], 1.0);
    }
  }

  double[][] columns() {
    return columns;
  }

  int width() {
    return columns.length;
  }

  int rows() {
    return rows;
  }

  /**
   * One encoder per column: room for the column's largest |x|, the rest of {@link #FEATURE_BITS}
   * fractional (at least 8).
   */
  FixedPointEncoder[] featureEncoders(HePublicKey pk) {
    FixedPointEncoder[] out = new FixedPointEncoder[columns.length];
    for (int j = 0; j < columns.length; j++) {
      double max = 1;
      for (double x : columns[j]) {
        max = Math.max(max, Math.abs(x));
      }
      int magnitude = Math.max(1, Math.getExponent(max) + 2);
      out[j] = new FixedPointEncoder(pk, Math.max(8, FEATURE_BITS - magnitude), magnitude);
    }
    return out;
  }

  /**
   * {@code [[Σ_{i∈[from,to)} d_i·x_ij]]} for every column j; {@code d} is indexed from {@code
   * from}.
   */
  Ciphertext[] encryptedGradient(
      Ciphertext[] d, int from, int to, FixedPointEncoder[] encoders, ComputingEngine engine) {
    Ciphertext[] g = new Ciphertext[columns.length];
    for (int j = 0; j < columns.length; j++) {
      g[j] =
          EncryptedVectors.dot(
              d, java.util.Arrays.copyOfRange(columns[j], from, to), encoders[j], engine);
    }
    return g;
  }

  /**
   * Masks {@code [[g]]}, has the key holder decrypt it ({@code request}), and unmasks the answer.
   */
  static double[] throughArbiter(
      Ciphertext[] gradient,
      Federation federation,
      int arbiter,
      MessageKey request,
      Duration timeout,
      SecureRandom random) {
    MaskedGradient masked = MaskedGradient.of(gradient, random);
    federation.send(
        arbiter, request, CiphertextCodec.encode(masked.masked()), PayloadKind.HE_CIPHERTEXTS);
    return masked.unmask(
        WireNumbers.integers(
            federation.receive(arbiter, HeteroLrMessages.plain(request), timeout)));
  }

  /**
   * The key holder's side of {@link #throughArbiter}: decrypts the masked values {@code party} sent
   * as {@code request} and returns the (still masked) integers to it.
   */
  static void decryptFor(
      Federation federation,
      int party,
      MessageKey request,
      io.federa.crypto.he.HePrivateKey sk,
      Duration timeout) {
    Ciphertext[] masked =
        CiphertextCodec.decode(sk.publicKey(), federation.receive(party, request, timeout));
    var decrypted = sk.decryptEncoded(masked); // one batch
    java.math.BigInteger[] values = new java.math.BigInteger[masked.length];
    for (int j = 0; j < masked.length; j++) {
      values[j] = decrypted[j].signedValue();
    }
    federation.send(
        party,
        HeteroLrMessages.plain(request),
        WireNumbers.integers(values),
        PayloadKind.MASKED_VALUES);
  }

  /**
   * A fresh key pair of the job's size, from the node's pool (test keys only when the parameters
   * say so).
   */
  static io.federa.crypto.he.HeKeyPair keyPair(HeteroLrParams params) {
    return io.federa.crypto.he.HeKeyPool.shared().take(params.key());
  }
}

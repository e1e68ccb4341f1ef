package io.federa.ml.hetero;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.crypto.paillier.Ciphertext;
import io.federa.crypto.paillier.CiphertextCodec;
import io.federa.crypto.paillier.EncryptedVectors;
import io.federa.crypto.paillier.FixedPointEncoder;
import io.federa.crypto.paillier.PaillierKeyCodec;
import io.federa.crypto.paillier.PaillierPublicKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import java.security.SecureRandom;

/**
 * A host's side of hetero LR: features, no labels; its weights never leave it. See {@link
 * HeteroLrGuest} for the protocol.
 */
public final class HeteroLrHost {
  private final Federation federation;
  private final MessageKey key;
  private final int guest;
  private final int arbiter;
  private final HeteroLrParams params;
  private final ComputingEngine engine;
  private final SecureRandom random = new SecureRandom();

  public HeteroLrHost(
      Federation federation,
      MessageKey key,
      int guest,
      int arbiter,
      HeteroLrParams params,
      ComputingEngine engine) {
    this.federation = federation;
    this.key = key;
    this.guest = guest;
    this.arbiter = arbiter;
    this.params = params;
    this.engine = engine;
  }

  /**
   * Trains on {@code features} (rows aligned with the guest's by PSI); returns the host's weights.
   */
  public double[] fit(Table features) {
    int n = features.rows();
    int d = features.features();
    double[][] columns = new double[d][];
    for (int j = 0; j < d; j++) {
      columns[j] = features.column(j);
    }
    PaillierPublicKey pk =
        PaillierKeyCodec.decodePublicKey(
            federation.receive(arbiter, key.withTag("public_key"), params.timeout()),
            params.testKeys());
    FixedPointEncoder encoder = FixedPointEncoder.defaults(pk);
    double[] w = new double[d];
    LocalOptimizer optimizer = new LocalOptimizer(params, d);
    for (int t = 0; t < params.maxIter(); t++) {
      String it = "iter-" + t + "/";
      // 1. forward: [[u_h]] = [[X_h·w_h]] per row, and [[Σ u_h²]] for the loss
      double[] u = new double[n];
      ColumnOps.linearPredictor(columns, w, 0, 0, n, u);
      double squares = 0;
      for (double x : u) {
        squares += x * x;
      }
      federation.send(
          guest,
          key.withTag(it + "host_forward"),
          CiphertextCodec.encode(EncryptedVectors.encrypt(encoder, u, engine)));
      federation.send(
          guest,
          key.withTag(it + "host_forward_squares"),
          CiphertextCodec.encode(pk.encrypt(encoder.encode(squares))));
      // 3. gradient: [[g_h]] = Σ_i [[d_i]]·x_i, masked before the arbiter decrypts it
      Ciphertext[] residual =
          CiphertextCodec.decode(
              pk, federation.receive(guest, key.withTag(it + "residual"), params.timeout()));
      Ciphertext[] gradient = new Ciphertext[d];
      for (int j = 0; j < d; j++) {
        gradient[j] = EncryptedVectors.dot(residual, columns[j], encoder, engine);
      }
      MaskedGradient masked = MaskedGradient.of(gradient, random);
      federation.send(
          arbiter, key.withTag(it + "host_gradient"), CiphertextCodec.encode(masked.masked()));
      double[] g =
          masked.unmask(
              Wire.integers(
                  federation.receive(
                      arbiter, key.withTag(it + "host_gradient_plain"), params.timeout())));
      for (int j = 0; j < d; j++) {
        g[j] = g[j] / n + params.alpha() * w[j];
      }
      optimizer.update(w, g);
      byte[] go = federation.receive(arbiter, key.withTag(it + "continue"), params.timeout());
      if (go[0] == 0) {
        break;
      }
    }
    return w;
  }

  /**
   * Federated prediction: sends the partial scores {@code X_h·w_h} of {@code rows} to the guest.
   */
  public void predict(Table rows, double[] weights, String tag) {
    double[][] columns = new double[rows.features()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = rows.column(j);
    }
    double[] u = new double[rows.rows()];
    ColumnOps.linearPredictor(columns, weights, 0, 0, rows.rows(), u);
    federation.send(guest, key.withTag("predict/" + tag), Wire.doubles(u));
  }
}

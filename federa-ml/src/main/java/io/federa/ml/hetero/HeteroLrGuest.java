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
import java.util.List;

/**
 * The guest's side of hetero logistic regression with an arbiter (FATE's coordinated HeteroLR; S.
 * Hardy et al., "Private federated learning on vertically partitioned data via entity resolution
 * and additively homomorphic encryption", 2017). Per iteration, on rows already aligned by PSI:
 *
 * <ol>
 *   <li>each host sends {@code [[u_h]] = [[X_h·w_h]]} (and {@code [[Σ u_h²]]});
 *   <li>the guest forms {@code [[d]] = ¼·Σ_h[[u_h]] + (¼·u_g + ½ − y)} with {@code u_g = X_g·w_g +
 *       b} — the first-order Taylor expansion of {@code σ(z) − y} at 0 — and sends {@code [[d]]} to
 *       the hosts;
 *   <li>every party computes its encrypted gradient {@code [[Σ_i d_i·x_i]]}, masks it with random
 *       {@code r}, the arbiter decrypts {@code g + r}, the party removes {@code r}, divides by
 *       {@code n}, adds {@code α·w}, and updates its own weights;
 *   <li>the guest sends the arbiter the encrypted Taylor loss {@code [[mean(log 2 − ½·y'·z +
 *       ⅛·z²)]]} ({@code y' = 2y − 1}); the arbiter decides whether to go on.
 * </ol>
 *
 * <p><b>What each party learns.</b> The guest: its own weights and the number of rows; from the
 * hosts, only ciphertexts it cannot decrypt. A host: its own weights; from the guest, only {@code
 * [[d]]}, which it cannot decrypt — neither labels nor the guest's scores. The arbiter: masked
 * gradients, which are statistically independent of the true ones (80-bit masks), and the loss of
 * each iteration (as in FATE). With federated prediction, the guest learns each host's partial
 * score {@code X_h·w_h} of the predicted rows (not the host's features or weights). Nobody learns
 * another party's rows.
 */
public final class HeteroLrGuest {
  /** The guest's model: weights of its features and the intercept. */
  public record Model(double[] weights, double intercept) {}

  private final Federation federation;
  private final MessageKey key;
  private final List<Integer> hosts;
  private final int arbiter;
  private final HeteroLrParams params;
  private final ComputingEngine engine;
  private final SecureRandom random = new SecureRandom();

  public HeteroLrGuest(
      Federation federation,
      MessageKey key,
      List<Integer> hosts,
      int arbiter,
      HeteroLrParams params,
      ComputingEngine engine) {
    this.federation = federation;
    this.key = key;
    this.hosts = List.copyOf(hosts);
    this.arbiter = arbiter;
    this.params = params;
    this.engine = engine;
  }

  /** Trains on {@code data} (labels 0/1, rows aligned with the hosts'). */
  public Model fit(Table data) {
    int n = data.rows();
    int d = data.features();
    double[][] columns = new double[d + 1][];
    for (int j = 0; j < d; j++) {
      columns[j] = data.column(j);
    }
    columns[d] = new double[n];
    java.util.Arrays.fill(columns[d], 1.0); // the intercept's column
    double[] y = data.labels();
    PaillierPublicKey pk =
        PaillierKeyCodec.decodePublicKey(
            federation.receive(arbiter, key.withTag("public_key"), params.timeout()),
            params.testKeys());
    FixedPointEncoder encoder = FixedPointEncoder.defaults(pk);
    FixedPointEncoder fine = new FixedPointEncoder(pk, 34, 32); // exponent of ¼·[[u_h]]
    FixedPointEncoder finest = new FixedPointEncoder(pk, 64, 32); // exponent of the loss terms
    double[] w = new double[d + 1]; // features, then the intercept
    LocalOptimizer optimizer = new LocalOptimizer(params, d + 1);
    for (int t = 0; t < params.maxIter(); t++) {
      String it = "iter-" + t + "/";
      double[] u = new double[n];
      ColumnOps.linearPredictor(columns, w, 0, 0, n, u);
      // 1. the hosts' encrypted forward parts, summed
      Ciphertext[] uh = null;
      Ciphertext squares = null;
      for (int h : hosts) {
        Ciphertext[] part =
            CiphertextCodec.decode(
                pk, federation.receive(h, key.withTag(it + "host_forward"), params.timeout()));
        Ciphertext sq =
            CiphertextCodec.decode(
                pk,
                federation.receive(h, key.withTag(it + "host_forward_squares"), params.timeout()))[
                0];
        uh = uh == null ? part : EncryptedVectors.add(uh, part, engine);
        squares = squares == null ? sq : squares.add(sq);
      }
      // 2. [[d]] = ¼·[[u_h]] + (¼·u_g + ½ − y)
      Ciphertext[] residual = new Ciphertext[n];
      Ciphertext[] hostSum = uh;
      engine.forEachRange(
          n,
          64,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              residual[i] =
                  hostSum[i].scaleByPowerOfTwo(-2).addPlain(fine.encode(0.25 * u[i] + 0.5 - y[i]));
            }
          });
      byte[] encoded = CiphertextCodec.encode(residual);
      for (int h : hosts) {
        federation.send(h, key.withTag(it + "residual"), encoded);
      }
      // 3. the guest's gradient, masked for the arbiter
      Ciphertext[] gradient = new Ciphertext[d + 1];
      for (int j = 0; j <= d; j++) {
        gradient[j] = EncryptedVectors.dot(residual, columns[j], encoder, engine);
      }
      MaskedGradient masked = MaskedGradient.of(gradient, random);
      federation.send(
          arbiter, key.withTag(it + "guest_gradient"), CiphertextCodec.encode(masked.masked()));
      // 4. the Taylor loss, encrypted: Σ(log 2 − ½y'z + ⅛z²) with z = u_g + u_h
      double[] scalars = new double[n];
      double plain = n * Math.log(2);
      for (int i = 0; i < n; i++) {
        double ySigned = 2 * y[i] - 1;
        scalars[i] = -0.5 * ySigned + 0.25 * u[i];
        plain += -0.5 * ySigned * u[i] + 0.125 * u[i] * u[i];
      }
      Ciphertext loss =
          EncryptedVectors.dot(hostSum, scalars, encoder, engine)
              .add(squares.scaleByPowerOfTwo(-3))
              .addPlain(finest.encode(plain))
              .multiply(encoder.encode(1.0 / n));
      federation.send(
          arbiter, key.withTag(it + "loss"), CiphertextCodec.encode(loss.rerandomize()));
      double[] g =
          masked.unmask(
              Wire.integers(
                  federation.receive(
                      arbiter, key.withTag(it + "guest_gradient_plain"), params.timeout())));
      for (int j = 0; j <= d; j++) {
        g[j] = g[j] / n + (j < d ? params.alpha() * w[j] : 0);
      }
      optimizer.update(w, g);
      byte[] go = federation.receive(arbiter, key.withTag(it + "continue"), params.timeout());
      if (go[0] == 0) {
        break;
      }
    }
    return new Model(java.util.Arrays.copyOf(w, d), w[d]);
  }

  /** Federated prediction: probabilities of {@code rows}, with the hosts' partial scores. */
  public double[] predict(Table rows, Model model, String tag) {
    double[][] columns = new double[rows.features()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = rows.column(j);
    }
    double[] z = new double[rows.rows()];
    ColumnOps.linearPredictor(columns, model.weights(), model.intercept(), 0, rows.rows(), z);
    for (int h : hosts) {
      double[] part =
          Wire.doubles(federation.receive(h, key.withTag("predict/" + tag), params.timeout()));
      for (int i = 0; i < z.length; i++) {
        z[i] += part[i];
      }
    }
    for (int i = 0; i < z.length; i++) {
      z[i] = ColumnOps.sigmoid(z[i]);
    }
    return z;
  }
}

package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
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
   * Trains on {@code features} (rows aligned with the guest's by PSI); returns the host's weights,
   * one vector per class model (one for a binary label).
   */
  public double[][] fit(Table features) {
    double[] setup =
        Wire.doubles(federation.receive(guest, key.withTag("setup"), params.timeout()));
    int models = (int) setup[0];
    if (setup.length != 2 || models < 1 || (int) setup[1] != features.rows()) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest trains on "
              + (setup.length > 1 ? (long) setup[1] : -1)
              + " rows but host "
              + federation.self()
              + " has "
              + features.rows()
              + "; both must hold the intersection's rows in the same order");
    }
    PaillierPublicKey pk =
        PaillierKeyCodec.decodePublicKey(
            federation.receive(arbiter, key.withTag("public_key"), params.timeout()),
            params.testKeys());
    PartyGradient part = new PartyGradient(features, false);
    double[][] weights = new double[models][];
    for (int k = 0; k < models; k++) {
      weights[k] = fitOne(part, pk, "m" + k + "/");
    }
    return weights;
  }

  private double[] fitOne(PartyGradient part, PaillierPublicKey pk, String model) {
    double[][] columns = part.columns();
    FixedPointEncoder encoder = FixedPointEncoder.defaults(pk);
    FixedPointEncoder featureEncoder = part.featureEncoder(pk);
    double[] w = new double[part.width()];
    LocalOptimizer optimizer = new LocalOptimizer(params, w.length, false);
    int[][] batches = params.batches(part.rows());
    for (int t = 0; t < params.maxIter(); t++) {
      double[] start = w.clone();
      for (int b = 0; b < batches.length; b++) {
        String it = model + "e" + t + "/b" + b + "/";
        int from = batches[b][0];
        int to = batches[b][1];
        // 1. forward: [[u_h]] = [[X_h·w_h]] per row, and [[Σ u_h²]] for the loss
        double[] u = new double[to - from];
        ColumnOps.linearPredictor(columns, w, 0, from, to, u);
        double squares = 0;
        for (double x : u) {
          squares += x * x;
        }
        federation.send(
            guest,
            key.withTag(it + "host_forward"),
            CiphertextCodec.encode(EncryptedVectors.encrypt(encoder, u, engine), engine));
        federation.send(
            guest,
            key.withTag(it + "host_forward_squares"),
            CiphertextCodec.encode(pk.encrypt(encoder.encode(squares))));
        // 3. gradient: [[g_h]] = Σ_i [[d_i]]·x_i, masked before the arbiter decrypts it
        Ciphertext[] residual =
            CiphertextCodec.decode(
                pk,
                federation.receive(guest, key.withTag(it + "residual"), params.timeout()),
                engine);
        if (residual.length != to - from) {
          throw new FederaException(
              ErrorCode.PROTOCOL,
              "the guest sent " + residual.length + " residuals for a batch of " + (to - from));
        }
        double[] g =
            PartyGradient.throughArbiter(
                part.encryptedGradient(residual, from, to, featureEncoder, engine),
                federation,
                arbiter,
                key,
                it + "host_gradient",
                params.timeout(),
                random);
        for (int j = 0; j < g.length; j++) {
          g[j] /= to - from;
        }
        optimizer.update(w, g);
      }
      if (!HeteroLrArbiter.goOn(
          federation, arbiter, key, model + "e" + t + "/", w, start, params)) {
        break;
      }
    }
    return w;
  }

  /**
   * Federated prediction: sends the partial scores {@code X_h·w_h} of {@code rows}, for every class
   * model, to the guest.
   */
  public void predict(Table rows, double[][] weights, String tag) {
    double[][] columns = new double[rows.features()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = rows.column(j);
    }
    int n = rows.rows();
    double[] u = new double[weights.length * n];
    double[] one = new double[n];
    for (int k = 0; k < weights.length; k++) {
      ColumnOps.linearPredictor(columns, weights[k], 0, 0, n, one);
      System.arraycopy(one, 0, u, k * n, n);
    }
    federation.send(guest, key.withTag("predict/" + tag), Wire.doubles(u));
  }
}

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
import io.federa.crypto.paillier.PaillierKeyPair;
import io.federa.crypto.paillier.PaillierPublicKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.security.SecureRandom;
import java.util.List;

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
  private io.federa.ml.Checkpoints checkpoints = io.federa.ml.Checkpoints.NONE;

  /** Saves this party's state every few epochs and resumes from the last common checkpoint. */
  public HeteroLrHost withCheckpoints(io.federa.ml.Checkpoints store) {
    this.checkpoints = store;
    return this;
  }

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
    PaillierKeyPair own = null;
    PaillierPublicKey guestKey = null;
    PaillierPublicKey pk;
    if (arbiter < 0) {
      // without an arbiter (Yang et al. 2019): the host's own key pair, and the guest's public key
      own = PartyGradient.keyPair(params);
      pk = own.publicKey();
      federation.send(
          guest,
          key.withTag("public_key"),
          PaillierKeyCodec.encodePublicKey(pk),
          PayloadKind.PUBLIC_KEY);
      guestKey =
          PaillierKeyCodec.decodePublicKey(
              federation.receive(guest, key.withTag("guest_public_key"), params.timeout()),
              params.testKeys());
    } else {
      pk =
          PaillierKeyCodec.decodePublicKey(
              federation.receive(arbiter, key.withTag("public_key"), params.timeout()),
              params.testKeys());
    }
    int resumeAt =
        Checkpoint.agree(federation, key, guest, List.of(), checkpoints, params.timeout());
    Checkpoint from = resumeAt < 0 ? null : Checkpoint.decode(checkpoints.load(resumeAt));
    PartyGradient part = new PartyGradient(features, false);
    double[][] weights = new double[models][];
    int firstModel = 0;
    if (from != null) {
      System.arraycopy(from.done(), 0, weights, 0, from.done().length);
      firstModel = from.stopped() ? from.model() + 1 : from.model();
      if (from.stopped()) {
        weights[from.model()] = from.w();
      }
    }
    for (int k = firstModel; k < models; k++) {
      Checkpoint resume = from != null && !from.stopped() && from.model() == k ? from : null;
      weights[k] = fitOne(part, pk, own, guestKey, k, resume, weights);
    }
    return weights;
  }

  private double[] fitOne(
      PartyGradient part,
      PaillierPublicKey pk,
      PaillierKeyPair own,
      PaillierPublicKey guestKey,
      int k,
      Checkpoint resume,
      double[][] done) {
    String model = "m" + k + "/";
    boolean twoParty = own != null;
    int decider = twoParty ? guest : arbiter;
    double[][] columns = part.columns();
    FixedPointEncoder encoder = FixedPointEncoder.defaults(pk);
    // the gradient is computed under the key of whoever decrypts it: the arbiter's or the guest's
    FixedPointEncoder[] featureEncoders = part.featureEncoders(twoParty ? guestKey : pk);
    double[] w = resume == null ? new double[part.width()] : resume.w().clone();
    LocalOptimizer optimizer = new LocalOptimizer(params, w.length, false);
    if (resume != null) {
      optimizer.restore(resume.m(), resume.v(), resume.step());
    }
    int[][] batches = params.batches(part.rows());
    for (int t = resume == null ? 0 : resume.epoch() + 1; t < params.maxIter(); t++) {
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
            CiphertextCodec.encode(EncryptedVectors.encrypt(encoder, u, engine), engine),
            PayloadKind.PAILLIER_CIPHERTEXTS);
        federation.send(
            guest,
            key.withTag(it + "host_forward_squares"),
            CiphertextCodec.encode(pk.encrypt(encoder.encode(squares))),
            PayloadKind.PAILLIER_CIPHERTEXTS);
        // 3. gradient: [[g_h]] = Σ_i [[d_i]]·x_i, masked before the arbiter decrypts it
        Ciphertext[] residual;
        if (twoParty) {
          // [[d]]_guest = [[¼·u_g + ½ − y]]_guest + ¼·u_h
          Ciphertext[] guestPart =
              CiphertextCodec.decode(
                  guestKey,
                  federation.receive(guest, key.withTag(it + "guest_residual"), params.timeout()),
                  engine);
          FixedPointEncoder guestEncoder = FixedPointEncoder.defaults(guestKey);
          residual = new Ciphertext[guestPart.length];
          double[] uh = u;
          engine.forEachRange(
              Math.min(residual.length, uh.length),
              64,
              (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                  residual[i] = guestPart[i].addPlain(guestEncoder.encode(0.25 * uh[i]));
                }
              });
        } else {
          residual =
              CiphertextCodec.decode(
                  pk,
                  federation.receive(guest, key.withTag(it + "residual"), params.timeout()),
                  engine);
        }
        if (residual.length != to - from) {
          throw new FederaException(
              ErrorCode.PROTOCOL,
              "the guest sent " + residual.length + " residuals for a batch of " + (to - from));
        }
        Ciphertext[] gradient = part.encryptedGradient(residual, from, to, featureEncoders, engine);
        double[] g;
        if (twoParty) {
          // send the masked gradient, decrypt the guest's masked gradient and loss, then unmask
          MaskedGradient masked = MaskedGradient.of(gradient, random);
          federation.send(
              guest,
              key.withTag(it + "host_gradient"),
              CiphertextCodec.encode(masked.masked()),
              PayloadKind.PAILLIER_CIPHERTEXTS);
          PartyGradient.decryptFor(
              federation, guest, key, it + "guest_gradient", own.privateKey(), params.timeout());
          PartyGradient.decryptFor(
              federation, guest, key, it + "loss", own.privateKey(), params.timeout());
          g =
              masked.unmask(
                  Wire.integers(
                      federation.receive(
                          guest, key.withTag(it + "host_gradient_plain"), params.timeout())));
        } else {
          g =
              PartyGradient.throughArbiter(
                  gradient,
                  federation,
                  arbiter,
                  key,
                  it + "host_gradient",
                  params.timeout(),
                  random);
        }
        for (int j = 0; j < g.length; j++) {
          g[j] /= to - from;
        }
        optimizer.update(w, g);
      }
      boolean last =
          !HeteroLrArbiter.goOn(federation, decider, key, model + "e" + t + "/", w, start, params)
              || t == params.maxIter() - 1;
      Checkpoint.saveIfDue(checkpoints, params, k, t, last, done, w, optimizer, Double.NaN, null);
      if (last) {
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
    federation.send(
        guest, key.withTag("predict/" + tag), Wire.doubles(u), PayloadKind.PARTIAL_SCORES);
  }
}

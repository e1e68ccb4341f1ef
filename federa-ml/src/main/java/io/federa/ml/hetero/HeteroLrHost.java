package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HePrivateKey;
import io.federa.crypto.he.HePublicKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.WireNumbers;
import io.federa.ml.optim.QuasiNewton;
import java.security.SecureRandom;
import java.util.List;

/**
 * A host's side of hetero LR: features, no labels; its weights never leave it. See {@link
 * HeteroLrGuest} for the protocol; each variant's batch step below reads top to bottom.
 */
public final class HeteroLrHost {
  private final Federation federation;
  private final HeteroLrMessages messages;
  private final int guest;
  private final Topology topology;
  private final HeteroLrParams params;
  private final ComputingEngine engine;
  private final SecureRandom random = new SecureRandom();
  private io.federa.ml.Checkpoints checkpoints = io.federa.ml.Checkpoints.NONE;

  public HeteroLrHost(
      Federation federation,
      MessageKey key,
      int guest,
      Topology topology,
      HeteroLrParams params,
      ComputingEngine engine) {
    this.federation = federation;
    this.messages = new HeteroLrMessages(key);
    this.guest = guest;
    this.topology = topology;
    this.params = params;
    this.engine = engine;
  }

  /** Saves this party's state every few epochs and resumes from the last common checkpoint. */
  public HeteroLrHost withCheckpoints(io.federa.ml.Checkpoints store) {
    this.checkpoints = store;
    return this;
  }

  /**
   * The run's keys: the key holder's public key (the arbiter's, or the host's own without one), the
   * host's own pair and the guest's public key without an arbiter (else null).
   */
  private record Keys(HePublicKey pk, HeKeyPair own, HePublicKey guestKey) {
    /**
     * The gradient is computed under the key of whoever decrypts it: the arbiter's or the guest's.
     */
    HePublicKey gradientKey() {
      return guestKey == null ? pk : guestKey;
    }
  }

  /**
   * Trains on {@code features} (rows aligned with the guest's by PSI), standardized unless the
   * parameters say otherwise; returns the host's model in the original units, one weight vector per
   * class model (one for a binary label).
   */
  public HostModel fit(Table features) {
    io.federa.ml.linear.Standardization units =
        io.federa.ml.linear.Standardization.of(features, params.standardize());
    double[] setup =
        WireNumbers.doubles(federation.receive(guest, messages.setup(), params.timeout()));
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
    Keys keys;
    if (topology instanceof Topology.WithArbiter a) {
      keys =
          new Keys(
              HeKeyCodec.decodePublicKey(
                  federation.receive(a.party(), messages.publicKey(), params.timeout()),
                  params.key()),
              null,
              null);
    } else {
      // without an arbiter (Yang et al. 2019): the host's own key pair, and the guest's public key
      HeKeyPair own = PartyGradient.keyPair(params);
      federation.send(
          guest,
          messages.publicKey(),
          HeKeyCodec.encodePublicKey(own.publicKey()),
          PayloadKind.PUBLIC_KEY);
      HePublicKey guestKey =
          HeKeyCodec.decodePublicKey(
              federation.receive(guest, messages.guestPublicKey(), params.timeout()), params.key());
      keys = new Keys(own.publicKey(), own, guestKey);
    }
    int resumeAt =
        Checkpoint.agree(federation, messages, guest, List.of(), checkpoints, params.timeout());
    Checkpoint from = resumeAt < 0 ? null : Checkpoint.decode(checkpoints.load(resumeAt));
    PartyGradient part = new PartyGradient(units.apply(features), false);
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
      weights[k] = fitOne(part, keys, k, resume, weights);
    }
    double[] shifts = new double[models];
    for (int k = 0; k < models; k++) {
      shifts[k] = units.shift(weights[k]);
      weights[k] = units.weights(weights[k]);
    }
    return new HostModel(weights, shifts);
  }

  private double[] fitOne(
      PartyGradient part, Keys keys, int k, Checkpoint resume, double[][] done) {
    int decider = topology instanceof Topology.WithArbiter a ? a.party() : guest;
    double[][] columns = part.columns();
    FixedPointEncoder encoder = FixedPointEncoder.defaults(keys.pk());
    FixedPointEncoder[] featureEncoders = part.featureEncoders(keys.gradientKey());
    double[] w = resume == null ? new double[part.width()] : resume.w().clone();
    LocalOptimizer optimizer = new LocalOptimizer(params, w.length, false);
    QuasiNewton quasi = params.quasiNewton() ? new QuasiNewton() : null;
    if (resume != null) {
      resume.restore(optimizer, null, quasi, null);
    }
    int[][] batches = params.batches(part.rows());
    for (int t = resume == null ? 0 : resume.epoch() + 1; t < params.maxIter(); t++) {
      HeteroLrMessages.Epoch epoch = messages.epoch(k, t);
      double[] start = w.clone();
      double[] g = null;
      for (int b = 0; b < batches.length; b++) {
        HeteroLrMessages.Batch batch = epoch.batch(b);
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
            batch.hostForward(),
            CiphertextCodec.encode(EncryptedVectors.encrypt(encoder, u, engine), engine),
            PayloadKind.HE_CIPHERTEXTS);
        federation.send(
            guest,
            batch.hostForwardSquares(),
            CiphertextCodec.encode(keys.pk().encrypt(encoder.encode(squares))),
            PayloadKind.HE_CIPHERTEXTS);
        if (params.objective() == HeteroLrParams.Objective.POISSON) { // [[exp(u_h)]] per row
          double[] e = new double[u.length];
          for (int i = 0; i < e.length; i++) {
            e[i] = Math.exp(u[i]);
          }
          federation.send(
              guest,
              batch.hostForwardExp(),
              CiphertextCodec.encode(EncryptedVectors.encrypt(encoder, e, engine), engine),
              PayloadKind.HE_CIPHERTEXTS);
        }
        // 2.-3. the encrypted residual, the gradient [[g_h]] = Σ_i [[d_i]]·x_i, decrypted masked
        g =
            topology instanceof Topology.WithArbiter a
                ? batchWithArbiter(a.party(), batch, part, featureEncoders, keys, from, to)
                : batchTwoParty(batch, part, featureEncoders, keys, u, from, to);
        for (int j = 0; j < g.length; j++) {
          g[j] /= to - from;
        }
        if (quasi == null) {
          optimizer.update(w, g);
        }
      }
      boolean last =
          (quasi != null
                  ? Convergence.follow(federation, decider, epoch, quasi, w, g, false, params)
                  : Convergence.follow(federation, decider, epoch, w, start, false, params))
              || t == params.maxIter() - 1;
      Checkpoint.saveIfDue(
          checkpoints, params, k, t, last, done, w, optimizer, Double.NaN, null, quasi, null);
      if (last) {
        break;
      }
    }
    return w;
  }

  /** With an arbiter: the guest's residual, and the gradient masked for the arbiter. */
  private double[] batchWithArbiter(
      int arbiter,
      HeteroLrMessages.Batch batch,
      PartyGradient part,
      FixedPointEncoder[] featureEncoders,
      Keys keys,
      int from,
      int to) {
    Ciphertext[] residual =
        checked(
            CiphertextCodec.decode(
                keys.pk(), federation.receive(guest, batch.residual(), params.timeout()), engine),
            to - from);
    return PartyGradient.throughArbiter(
        part.encryptedGradient(residual, from, to, featureEncoders, engine),
        federation,
        arbiter,
        batch.hostGradient(),
        params.timeout(),
        random);
  }

  /**
   * Without an arbiter: the residual under the guest's key, the gradient masked for the guest; the
   * host decrypts the guest's masked gradient and loss meanwhile.
   */
  private double[] batchTwoParty(
      HeteroLrMessages.Batch batch,
      PartyGradient part,
      FixedPointEncoder[] featureEncoders,
      Keys keys,
      double[] u,
      int from,
      int to) {
    // [[d]]_guest = [[¼·u_g + ½ − y]]_guest + ¼·u_h
    Ciphertext[] guestPart =
        CiphertextCodec.decode(
            keys.guestKey(),
            federation.receive(guest, batch.guestResidual(), params.timeout()),
            engine);
    FixedPointEncoder guestEncoder = FixedPointEncoder.defaults(keys.guestKey());
    Ciphertext[] residual = new Ciphertext[guestPart.length];
    engine.forEachRange(
        Math.min(residual.length, u.length),
        64,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            residual[i] = guestPart[i].addPlain(guestEncoder.encode(0.25 * u[i]));
          }
        });
    checked(residual, to - from);
    // send the masked gradient, decrypt the guest's masked gradient and loss, then unmask
    MaskedGradient masked =
        MaskedGradient.of(
            part.encryptedGradient(residual, from, to, featureEncoders, engine), random);
    federation.send(
        guest,
        batch.hostGradient(),
        CiphertextCodec.encode(masked.masked()),
        PayloadKind.HE_CIPHERTEXTS);
    HePrivateKey sk = keys.own().privateKey();
    PartyGradient.decryptFor(federation, guest, batch.guestGradient(), sk, params.timeout());
    PartyGradient.decryptFor(federation, guest, batch.loss(), sk, params.timeout());
    return masked.unmask(
        WireNumbers.integers(
            federation.receive(
                guest, HeteroLrMessages.plain(batch.hostGradient()), params.timeout())));
  }

  private static Ciphertext[] checked(Ciphertext[] residual, int rows) {
    if (residual.length != rows) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest sent " + residual.length + " residuals for a batch of " + rows);
    }
    return residual;
  }

  /**
   * Federated prediction: sends the partial scores {@code X_h·w_h} of {@code rows}, for every class
   * model, to the guest.
   */
  public void predict(Table rows, HostModel model, String tag) {
    double[] u = LrScores.hostPartials(rows, model);
    federation.send(
        guest, messages.predict(tag), WireNumbers.doubles(u), PayloadKind.PARTIAL_SCORES);
  }
}

package io.federa.ml.hetero;

import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.federation.Federation;
import io.federa.federation.PayloadKind;
import java.security.SecureRandom;
import java.util.List;

/**
 * The guest's messages of one hetero LR batch, each variant top to bottom: with an arbiter, which
 * decrypts the masked gradients and the loss, or with its one host alone, each decrypting the
 * other's masked values. {@link GuestBatch} does the arithmetic; {@link HeteroLrGuest} runs the
 * epochs.
 */
final class GuestSteps {
  private final Federation federation;
  private final List<Integer> hosts;
  private final HeteroLrParams params;
  private final ComputingEngine engine;
  private final SecureRandom random = new SecureRandom();

  GuestSteps(
      Federation federation, List<Integer> hosts, HeteroLrParams params, ComputingEngine engine) {
    this.federation = federation;
    this.hosts = hosts;
    this.params = params;
    this.engine = engine;
  }

  /**
   * What a batch step gives the guest: its gradient (summed over the batch) and the batch's loss.
   */
  record Step(double[] gradient, double loss) {}

  /** A batch with an arbiter, which decrypts the masked gradients and the loss. */
  Step withArbiter(
      int arbiter,
      HeteroLrMessages.Batch batch,
      PartyGradient part,
      GuestBatch.Keys keys,
      GuestBatch.Rows rows) {
    // 1. the hosts' encrypted forward parts, summed
    GuestBatch.Forward forward = receiveForward(batch, keys);
    // 2. [[d]] = [[σ(z)]] − y through the arbiter (exact), or ¼·[[u_h]] + (¼·u_g + ½ − y), to
    // every host
    boolean exact = params.exactSigmoid(true);
    Ciphertext[] scores = exact ? GuestBatch.scores(forward, keys, rows, engine) : null;
    Ciphertext[] residual =
        exact
            ? ExactSigmoid.residual(
                federation, arbiter, batch, scores, rows, params.timeout(), random, engine)
            : GuestBatch.residual(forward, keys, rows, params.objective(), engine);
    byte[] encoded = CiphertextCodec.encode(residual, engine);
    for (int h : hosts) {
      federation.send(h, batch.residual(), encoded, PayloadKind.HE_CIPHERTEXTS);
    }
    // 3. the guest's gradient, masked for the arbiter
    double[] g =
        PartyGradient.throughArbiter(
            part.encryptedGradient(residual, rows.from(), rows.to(), keys.features(), engine),
            federation,
            arbiter,
            batch.guestGradient(),
            params.timeout(),
            random);
    // 4. the loss of the batch, encrypted, for the arbiter: the Taylor loss, or the exact loss's
    // labelled part
    Ciphertext loss =
        exact
            ? GuestBatch.labelledScores(scores, keys, rows)
            : GuestBatch.loss(forward, keys, rows, params.objective(), engine);
    federation.send(
        arbiter,
        batch.loss(),
        CiphertextCodec.encode(loss.rerandomize()),
        PayloadKind.HE_CIPHERTEXTS);
    return new Step(g, 0);
  }

  /** A batch of guest and host alone: each decrypts the other's masked values. */
  Step twoParty(
      HeteroLrMessages.Batch batch,
      PartyGradient part,
      GuestBatch.Keys keys,
      GuestBatch.Rows rows) {
    int host = hosts.get(0);
    // 1. the host's encrypted forward part
    GuestBatch.Forward forward = receiveForward(batch, keys);
    // 2. the host's residual is formed under the guest's key: [[¼·u_g + ½ − y]]_guest
    double[] guestPart = new double[rows.size()];
    for (int i = 0; i < guestPart.length; i++) {
      guestPart[i] = 0.25 * rows.u()[i] + 0.5 - rows.y()[rows.from() + i];
    }
    federation.send(
        host,
        batch.guestResidual(),
        CiphertextCodec.encode(
            EncryptedVectors.encrypt(
                FixedPointEncoder.defaults(keys.own().publicKey()), guestPart, engine),
            engine),
        PayloadKind.HE_CIPHERTEXTS);
    // 3. the guest's gradient under the host's key, masked; the host decrypts it
    Ciphertext[] residual = GuestBatch.residual(forward, keys, rows, params.objective(), engine);
    double[] g =
        PartyGradient.throughArbiter(
            part.encryptedGradient(residual, rows.from(), rows.to(), keys.features(), engine),
            federation,
            host,
            batch.guestGradient(),
            params.timeout(),
            random);
    // 4. the host decrypts the loss behind a mask; then the guest decrypts the host's gradient
    double loss =
        PartyGradient.throughArbiter(
            new Ciphertext[] {GuestBatch.loss(forward, keys, rows, params.objective(), engine)},
            federation,
            host,
            batch.loss(),
            params.timeout(),
            random)[0];
    PartyGradient.decryptFor(
        federation, host, batch.hostGradient(), keys.own().privateKey(), params.timeout());
    return new Step(g, loss);
  }

  private GuestBatch.Forward receiveForward(HeteroLrMessages.Batch batch, GuestBatch.Keys keys) {
    Ciphertext[] sum = null;
    Ciphertext squares = null;
    for (int h : hosts) {
      Ciphertext[] forward =
          CiphertextCodec.decode(
              keys.pk(), federation.receive(h, batch.hostForward(), params.timeout()), engine);
      Ciphertext sq =
          CiphertextCodec.decode(
              keys.pk(), federation.receive(h, batch.hostForwardSquares(), params.timeout()))[0];
      sum = sum == null ? forward : EncryptedVectors.add(sum, forward, engine);
      squares = squares == null ? sq : squares.add(sq);
    }
    Ciphertext[] exp =
        params.objective() == HeteroLrParams.Objective.POISSON
            ? CiphertextCodec.decode(
                keys.pk(),
                federation.receive(hosts.get(0), batch.hostForwardExp(), params.timeout()),
                engine)
            : null;
    return new GuestBatch.Forward(sum, squares, exp);
  }
}

package io.federa.ml.hetero;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HePublicKey;
import io.federa.federation.Federation;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The exact sigmoid's round trip, each side against the other played by hand: the guest's scores
 * reach the arbiter as a permutation of the rows, a new one every epoch, and the guest gets {@code
 * [[σ(z) − y]]} back in row order; the arbiter answers {@code [[σ(z)]]} in the order it got the
 * scores, keeps {@code Σ log(1 + e^z)}, and refuses a batch of the wrong size. A 1024-bit test key:
 * the arithmetic does not depend on the size (the 2048-bit path runs in {@link HeteroLrTest}).
 */
class ExactSigmoidTest {
  private static final HeKeyPair KEYS = HeKeyPair.generate(HeParameters.insecureForTesting(1024));
  private static final HePublicKey PK = KEYS.publicKey();
  private static final LocalEngine ENGINE = LocalEngine.allCores();
  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final int GUEST = 9999;
  private static final int ARBITER = 20000;

  private final HeteroLrMessages messages =
      new HeteroLrMessages(MessageKey.of("job", "hetero_lr_0", ""));

  private static Ciphertext[] encrypt(double[] values) {
    return EncryptedVectors.encrypt(FixedPointEncoder.defaults(PK), values, ENGINE);
  }

  @Test
  void guest_sendsTheScoresShuffledAfreshEachEpoch_andGetsTheExactResidualInRowOrder() {
    var net = InProcessFederation.network();
    Federation guest = net.party(GUEST);
    Federation arbiter = net.party(ARBITER);
    int n = 64;
    Random random = new Random(7);
    double[] z = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = 12 * random.nextDouble() - 6;
      y[i] = random.nextBoolean() ? 1 : 0;
    }
    Ciphertext[] scores = encrypt(z);
    List<double[]> seen = new ArrayList<>();
    for (int epoch = 0; epoch < 2; epoch++) {
      HeteroLrMessages.Batch batch = messages.epoch(0, epoch).batch(0);
      // the test is the arbiter: what it decrypts is what an arbiter sees
      CompletableFuture<double[]> view =
          CompletableFuture.supplyAsync(
              () -> {
                double[] plain =
                    EncryptedVectors.decrypt(
                        KEYS.privateKey(),
                        CiphertextCodec.decode(
                            PK, arbiter.receive(GUEST, batch.scores(), TIMEOUT), ENGINE),
                        ENGINE);
                double[] sigmoid = Arrays.stream(plain).map(ColumnOps::sigmoid).toArray();
                arbiter.send(
                    GUEST,
                    batch.sigmoids(),
                    CiphertextCodec.encode(
                        EncryptedVectors.encrypt(ExactSigmoid.encoder(PK), sigmoid, ENGINE),
                        ENGINE),
                    PayloadKind.HE_CIPHERTEXTS);
                return plain;
              });
      Ciphertext[] residual =
          ExactSigmoid.residual(
              guest,
              ARBITER,
              batch,
              scores,
              new GuestBatch.Rows(0, n, new double[n], y),
              TIMEOUT,
              new SecureRandom(),
              ENGINE);
      double[] d = EncryptedVectors.decrypt(KEYS.privateKey(), residual, ENGINE);
      for (int i = 0; i < n; i++) {
        assertEquals(ColumnOps.sigmoid(z[i]) - y[i], d[i], 1e-8, "row " + i);
      }
      double[] arrived = view.join();
      double[] sortedZ = z.clone();
      double[] sortedArrived = arrived.clone();
      Arrays.sort(sortedZ);
      Arrays.sort(sortedArrived);
      assertArrayEquals(sortedZ, sortedArrived, 1e-8); // every score, once
      assertFalse(sameOrder(z, arrived), "the scores arrived in row order");
      seen.add(arrived);
    }
    assertFalse(sameOrder(seen.get(0), seen.get(1)), "the same order in two epochs");
  }

  @Test
  void arbiter_answersTheSigmoidsInTheOrderReceived_keepsTheSoftplusSum_refusesAWrongCount() {
    var net = InProcessFederation.network();
    Federation guest = net.party(GUEST);
    Federation arbiter = net.party(ARBITER);
    double[] z = {-30, -2.5, -0.1, 0, 0.7, 3, 30};
    HeteroLrMessages.Batch batch = messages.epoch(0, 0).batch(0);
    guest.send(
        ARBITER,
        batch.scores(),
        CiphertextCodec.encode(encrypt(z), ENGINE),
        PayloadKind.HE_CIPHERTEXTS);
    double softplus =
        ExactSigmoid.serve(arbiter, GUEST, batch, KEYS.privateKey(), z.length, TIMEOUT, ENGINE);
    double expected = 0;
    for (double v : z) {
      expected += ColumnOps.log1pExp(v);
    }
    assertEquals(expected, softplus, 1e-6);
    double[] sigmoid =
        EncryptedVectors.decrypt(
            KEYS.privateKey(),
            CiphertextCodec.decode(PK, guest.receive(ARBITER, batch.sigmoids(), TIMEOUT), ENGINE),
            ENGINE);
    for (int k = 0; k < z.length; k++) {
      assertEquals(ColumnOps.sigmoid(z[k]), sigmoid[k], 1e-9, "score " + k);
    }

    HeteroLrMessages.Batch next = messages.epoch(0, 1).batch(0);
    guest.send(
        ARBITER,
        next.scores(),
        CiphertextCodec.encode(encrypt(Arrays.copyOf(z, 6)), ENGINE),
        PayloadKind.HE_CIPHERTEXTS);
    FederaException e =
        assertThrows(
            FederaException.class,
            () ->
                ExactSigmoid.serve(
                    arbiter, GUEST, next, KEYS.privateKey(), z.length, TIMEOUT, ENGINE));
    assertEquals(ErrorCode.PROTOCOL, e.code());
    assertTrue(e.getMessage().contains("6 scores for a batch of 7 rows"), e.getMessage());
  }

  private static boolean sameOrder(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-8) {
        return false;
      }
    }
    return true;
  }
}

package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeKeyPool;
import io.federa.crypto.he.HeParameters;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.WireNumbers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hetero Pearson correlation (FATE's HeteroPearson / FeatureCorrelation) under the guest's additive
 * key (Paillier or OU), not secret sharing: each party standardizes its own columns (z-scores); the
 * guest encrypts its z-scores column by column ({@code [[z_a]]}, 40 fractional bits) and sends them
 * to each host; the host computes every {@code [[Σ_i z_a,i·w_b,i]]} with its own z-scores {@code
 * w_b} as plaintext scalars (a multi-exponentiation per pair, 30 fractional bits), re-randomized,
 * and sends them back; the guest decrypts, divides by n, and sends the host the same matrix, so
 * both hold every cross-party correlation (as in FATE). Each party's correlations among its own
 * columns it computes itself.
 *
 * <p><b>What each party learns</b>: both learn the correlation of every guest column with every
 * host column, and the row count; nothing else of the other's values. A party with as many columns
 * as there are rows could solve the other's z-scores from the correlations (true of any protocol
 * that reveals them): keep the columns few against the rows. The host receives only ciphertexts
 * under the guest's key before it learns the result.
 */
public final class HeteroPearsonGuest {
  private final Federation federation;
  private final PearsonMessages messages;
  private final List<Integer> hosts;
  private final HeParameters keyParams;
  private final Duration timeout;
  private final ComputingEngine engine;

  /** The guest's result: its own correlations and, per host, guest × host correlations. */
  public record Result(double[][] local, Map<Integer, double[][]> cross) {}

  public HeteroPearsonGuest(
      Federation federation,
      MessageKey key,
      List<Integer> hosts,
      HeParameters keyParams,
      Duration timeout,
      ComputingEngine engine) {
    this.federation = federation;
    this.messages = new PearsonMessages(key);
    this.hosts = List.copyOf(hosts);
    this.keyParams = keyParams;
    this.timeout = timeout;
    this.engine = engine;
  }

  public Result fit(Table data) {
    Standardized z = Standardized.of(data);
    int g = z.z().length;
    HeKeyPair keys = HeKeyPool.shared().take(keyParams);
    FixedPointEncoder encoder =
        new FixedPointEncoder(keys.publicKey(), PearsonMessages.GUEST_BITS, 24);
    Ciphertext[] all = new Ciphertext[g * z.rows()];
    for (int a = 0; a < g; a++) {
      System.arraycopy(
          EncryptedVectors.encrypt(encoder, z.z()[a], engine), 0, all, a * z.rows(), z.rows());
    }
    byte[] encrypted = CiphertextCodec.encode(all, engine);
    byte[] setup = ByteBuffer.allocate(8).putInt(z.rows()).putInt(g).array();
    for (int host : hosts) {
      federation.send(host, messages.setup(), setup, PayloadKind.CONTROL);
      federation.send(
          host,
          messages.publicKey(),
          HeKeyCodec.encodePublicKey(keys.publicKey()),
          PayloadKind.PUBLIC_KEY);
      federation.send(host, messages.columns(), encrypted, PayloadKind.HE_CIPHERTEXTS);
    }
    Map<Integer, double[][]> cross = new LinkedHashMap<>();
    for (int host : hosts) {
      Ciphertext[] sums =
          CiphertextCodec.decode(
              keys.publicKey(), federation.receive(host, messages.sums(), timeout));
      if (sums.length % Math.max(1, g) != 0) {
        throw new FederaException(
            ErrorCode.PROTOCOL,
            "host " + host + " sent " + sums.length + " sums for " + g + " columns");
      }
      int h = g == 0 ? 0 : sums.length / g;
      double[] s = EncryptedVectors.decrypt(keys.privateKey(), sums, engine);
      double[][] c = new double[g][h];
      double[] flat = new double[g * h];
      for (int a = 0; a < g; a++) {
        for (int b = 0; b < h; b++) {
          c[a][b] = s[a * h + b] / z.rows();
          flat[a * h + b] = c[a][b];
        }
      }
      federation.send(
          host,
          messages.correlations(),
          WireNumbers.doubles(flat),
          PayloadKind.PLAINTEXT_AGGREGATE);
      cross.put(host, c);
    }
    return new Result(z.correlations(), cross);
  }

  /** A party's correlations among its own columns alone (no message). */
  public static double[][] localOnly(Table data) {
    return Standardized.of(data).correlations();
  }
}

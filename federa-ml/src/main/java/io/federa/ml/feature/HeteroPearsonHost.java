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
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HePublicKey;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.WireNumbers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/** A host's side of {@link HeteroPearsonGuest}. */
public final class HeteroPearsonHost {
  private final Federation federation;
  private final PearsonMessages messages;
  private final int guest;
  private final HeParameters keyParams;
  private final Duration timeout;
  private final ComputingEngine engine;

  /** The host's result: its own correlations, and the guest × host ones ({@code [guest][host]}). */
  public record Result(double[][] local, double[][] cross) {}

  public HeteroPearsonHost(
      Federation federation,
      MessageKey key,
      int guest,
      HeParameters keyParams,
      Duration timeout,
      ComputingEngine engine) {
    this.federation = federation;
    this.messages = new PearsonMessages(key);
    this.guest = guest;
    this.keyParams = keyParams;
    this.timeout = timeout;
    this.engine = engine;
  }

  public Result fit(Table data) {
    Standardized w = Standardized.of(data);
    ByteBuffer setup = ByteBuffer.wrap(receive(messages.setup()));
    int n = setup.getInt();
    int g = setup.getInt();
    if (n != w.rows() || g < 0) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest correlates "
              + n
              + " rows but host "
              + federation.self()
              + " has "
              + w.rows()
              + "; both must hold the intersection's rows in the same order");
    }
    HePublicKey pk = HeKeyCodec.decodePublicKey(receive(messages.publicKey()), keyParams);
    Ciphertext[] columns = CiphertextCodec.decode(pk, receive(messages.columns()), engine);
    if (columns.length != (long) g * n) {
      throw new FederaException(
          ErrorCode.PROTOCOL, "the guest sent " + columns.length + " values for " + g + " columns");
    }
    int h = w.z().length;
    FixedPointEncoder scalars = new FixedPointEncoder(pk, PearsonMessages.SCALAR_BITS, 24);
    Ciphertext[] sums = new Ciphertext[g * h];
    for (int a = 0; a < g; a++) {
      Ciphertext[] za = Arrays.copyOfRange(columns, a * n, (a + 1) * n);
      for (int b = 0; b < h; b++) {
        sums[a * h + b] = EncryptedVectors.dot(za, w.z()[b], scalars, engine).rerandomize();
      }
    }
    federation.send(
        guest, messages.sums(), CiphertextCodec.encode(sums, engine), PayloadKind.HE_CIPHERTEXTS);
    double[] flat = WireNumbers.doubles(receive(messages.correlations()));
    if (flat.length != g * h) {
      throw new FederaException(
          ErrorCode.PROTOCOL, "the guest sent a correlation matrix of another size");
    }
    double[][] cross = new double[g][h];
    for (int a = 0; a < g; a++) {
      System.arraycopy(flat, a * h, cross[a], 0, h);
    }
    return new Result(w.correlations(), cross);
  }

  private byte[] receive(MessageKey key) {
    return federation.receive(guest, key, timeout);
  }
}

package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HePublicKey;
import io.federa.crypto.he.PackingScheme;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A host's side of hetero feature binning: it bins its own features, sums the guest's encrypted
 * labels per bin (one Montgomery product per row and feature; each feature's most populous bin is
 * left out, the guest derives it from its own totals), packs the sums many bins to a ciphertext and
 * sends them with each bin's row count. It learns nothing of the labels: what it receives is
 * encrypted under the guest's key. See {@link HeteroBinningGuest}.
 */
public final class HeteroBinningHost {
  private final Federation federation;
  private final BinningMessages messages;
  private final int guest;
  private final BinningParams params;
  private final ComputingEngine engine;

  public HeteroBinningHost(
      Federation federation,
      MessageKey key,
      int guest,
      BinningParams params,
      ComputingEngine engine) {
    this.federation = federation;
    this.messages = new BinningMessages(key);
    this.guest = guest;
    this.params = params;
    this.engine = engine;
  }

  /** Bins {@code data} (rows aligned with the guest's); returns its features' edges. */
  public BinEdges fit(Table data) {
    ByteBuffer setup = ByteBuffer.wrap(receive(messages.setup()));
    int n = setup.getInt();
    int slots = setup.getInt();
    if (n != data.rows()) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest bins "
              + n
              + " rows but host "
              + federation.self()
              + " has "
              + data.rows()
              + "; both must hold the intersection's rows in the same order");
    }
    HePublicKey key = HeKeyCodec.decodePublicKey(receive(messages.publicKey()), params.key());
    PackingScheme scheme = PackingScheme.create(key, BigInteger.ONE, Math.max(1, n));
    if (slots < 1 || slots > scheme.capacity()) {
      throw new FederaException(
          ErrorCode.PROTOCOL, "the guest announced " + slots + " label slots; it is corrupt");
    }
    BinEdges first = params.firstEdges(data, engine);
    short[][] bins = first.transform(data, engine);
    long[][] counts = first.counts(bins);
    long[][] message = new long[counts.length][];
    for (int f = 0; f < counts.length; f++) {
      message[f] = new long[counts[f].length + 1];
      message[f][0] = first.missingBin()[f] ? 1 : 0;
      System.arraycopy(counts[f], 0, message[f], 1, counts[f].length);
    }
    federation.send(
        guest, messages.counts(), BinningMessages.encode(message), PayloadKind.PLAINTEXT_AGGREGATE);
    Ciphertext[] labels = CiphertextCodec.decode(key, receive(messages.labels()), engine);
    if (labels.length != n) {
      throw new FederaException(
          ErrorCode.PROTOCOL, "the guest sent " + labels.length + " labels for " + n + " rows");
    }
    PackingScheme.Packed[] values = new PackingScheme.Packed[n];
    for (int i = 0; i < n; i++) {
      values[i] = new PackingScheme.Packed(scheme, labels[i], slots, 1);
    }
    PackingScheme.Packed[][] sums = new PackingScheme.Packed[counts.length][];
    engine.forEachRange(
        counts.length,
        1,
        (from, to) -> {
          for (int f = from; f < to; f++) {
            sums[f] =
                sumByBin(
                    scheme, values, bins[f], first.bins(f), BinningMessages.skipped(counts[f]));
          }
        });
    List<PackingScheme.Packed> ordered = new ArrayList<>();
    for (PackingScheme.Packed[] feature : sums) {
      for (PackingScheme.Packed s : feature) {
        if (s != null) {
          ordered.add(s);
        }
      }
    }
    int perCiphertext = scheme.capacity() / slots;
    Ciphertext[] packed = new Ciphertext[(ordered.size() + perCiphertext - 1) / perCiphertext];
    engine.forEachRange(
        packed.length,
        1,
        (from, to) -> {
          for (int c = from; c < to; c++) {
            int end = Math.min(ordered.size(), (c + 1) * perCiphertext);
            packed[c] = scheme.compress(ordered.subList(c * perCiphertext, end)).ciphertext();
          }
        });
    federation.send(
        guest, messages.sums(), CiphertextCodec.encode(packed, engine), PayloadKind.HE_CIPHERTEXTS);
    if (!params.method().equals("optimal")) {
      return first;
    }
    long[][] kept = BinningMessages.decode(receive(messages.merged()), "merged bins");
    if (kept.length != first.features()) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest merged " + kept.length + " features' bins, not " + counts.length);
    }
    double[][] points = new double[kept.length][];
    for (int f = 0; f < kept.length; f++) {
      double[] fine = first.splitPoints()[f];
      for (int i = 0; i < kept[f].length; i++) {
        if (kept[f][i] < 0
            || kept[f][i] >= fine.length
            || (i > 0 && kept[f][i] <= kept[f][i - 1])) {
          throw new FederaException(
              ErrorCode.PROTOCOL, "the guest kept edges of feature " + f + " that it was not sent");
        }
      }
      points[f] = ChiMerge.points(fine, kept[f]);
    }
    return new BinEdges(points, first.missingBin().clone());
  }

  /**
   * Each bin's encrypted label sum of one feature (null for bin {@code skip}), 256 bins per pass of
   * {@link PackingScheme#sumByBin}, which takes byte bin indexes: the optimal method's initial bins
   * may be more.
   */
  static PackingScheme.Packed[] sumByBin(
      PackingScheme scheme, PackingScheme.Packed[] values, short[] bins, int count, int skip) {
    int blocks = (count + 255) >> 8;
    int[] size = new int[blocks];
    for (short b : bins) {
      size[(b & 0xffff) >> 8]++;
    }
    int[][] rows = new int[blocks][];
    for (int k = 0; k < blocks; k++) {
      rows[k] = new int[size[k]];
    }
    int[] fill = new int[blocks];
    byte[] low = new byte[bins.length];
    for (int i = 0; i < bins.length; i++) {
      int b = bins[i] & 0xffff;
      low[i] = (byte) b;
      rows[b >> 8][fill[b >> 8]++] = i;
    }
    PackingScheme.Packed[] out = new PackingScheme.Packed[count];
    for (int k = 0; k < blocks; k++) {
      int width = Math.min(256, count - (k << 8));
      int skipHere = skip >= 0 && skip >> 8 == k ? skip & 0xff : -1;
      PackingScheme.Packed[] part = scheme.sumByBin(values, rows[k], low, width, skipHere);
      System.arraycopy(part, 0, out, k << 8, width);
    }
    return out;
  }

  private byte[] receive(MessageKey key) {
    return federation.receive(guest, key, params.timeout());
  }
}

package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.HeKeyCodec;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeKeyPool;
import io.federa.crypto.he.NoiseReserve;
import io.federa.crypto.he.PackingScheme;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest's side of hetero feature binning (FATE's, with SecureBoost's packing): it encrypts each
 * row's one-hot event label under its own key (one slot per event class, packed in one ciphertext)
 * and sends them to every host; a host bins its own features, sums the encrypted labels per bin and
 * returns the sums packed many bins to a ciphertext, with each bin's row count; the guest decrypts
 * them and computes every host feature's WOE and IV (named {@code host_<party>_<index>}: it never
 * learns a host's values, names or split points). Its own features it bins in the clear. With the
 * optimal method the guest also merges each host feature's fine bins and tells the host which of
 * its edges stay.
 */
public final class HeteroBinningGuest {
  private final Federation federation;
  private final BinningMessages messages;
  private final List<Integer> hosts;
  private final BinningParams params;
  private final ComputingEngine engine;
  private int decrypted;

  /** The guest's result: its own bins and edges, and each host's features' bins by party. */
  public record Result(
      Events events, LocalBinning.Fitted guest, Map<Integer, List<FeatureBins>> hosts) {}

  public HeteroBinningGuest(
      Federation federation,
      MessageKey key,
      List<Integer> hosts,
      BinningParams params,
      ComputingEngine engine) {
    this.federation = federation;
    this.messages = new BinningMessages(key);
    this.hosts = List.copyOf(hosts);
    this.params = params;
    this.engine = engine;
  }

  /** Ciphertexts decrypted for the hosts' sums (all hosts). */
  public int decrypted() {
    return decrypted;
  }

  /**
   * Bins {@code data} (labeled; rows aligned with every host's by PSI) and every host's features.
   */
  public Result fit(Table data) {
    Events events = Events.of(data.labels());
    int n = data.rows();
    int slots = events.slots();
    HeKeyPair keys = HeKeyPool.shared().take(params.key());
    PackingScheme scheme = PackingScheme.create(keys.publicKey(), BigInteger.ONE, Math.max(1, n));
    if (slots > scheme.capacity()) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the labels have "
              + slots
              + " classes but a "
              + params.key().modulusBits()
              + "-bit key packs "
              + scheme.capacity()
              + " per ciphertext; use Paillier (more slots) or fewer classes");
    }
    for (int host : hosts) {
      federation.send(
          host,
          messages.setup(),
          ByteBuffer.allocate(8).putInt(n).putInt(slots).array(),
          PayloadKind.CONTROL);
      federation.send(
          host,
          messages.publicKey(),
          HeKeyCodec.encodePublicKey(keys.publicKey()),
          PayloadKind.PUBLIC_KEY);
    }
    long[][] plain = new long[n][slots];
    for (int i = 0; i < n; i++) {
      if (events.slotOf()[i] >= 0) {
        plain[i][events.slotOf()[i]] = 1;
      }
    }
    Ciphertext[] encrypted = scheme.encryptAll(plain, engine, new NoiseReserve(keys.publicKey()));
    byte[] body = CiphertextCodec.encode(encrypted, engine);
    for (int host : hosts) {
      federation.send(host, messages.labels(), body, PayloadKind.HE_CIPHERTEXTS);
    }
    LocalBinning.Fitted own = LocalBinning.fit(data, events, params, engine);
    Map<Integer, List<FeatureBins>> byHost = new LinkedHashMap<>();
    for (int host : hosts) {
      byHost.put(host, host(host, n, events, keys, scheme));
    }
    return new Result(events, own, byHost);
  }

  /** Host {@code host}'s counts and sums, decrypted, as its features' bins. */
  private List<FeatureBins> host(
      int host, int n, Events events, HeKeyPair keys, PackingScheme scheme) {
    long[][] message = BinningMessages.decode(receive(host, messages.counts()), "bin counts");
    int features = message.length;
    boolean[] missing = new boolean[features];
    long[][] rows = new long[features][];
    for (int f = 0; f < features; f++) {
      long[] m = message[f];
      long sum = 0;
      boolean ok = m.length >= 2 && m.length <= BinEdges.MAX_BINS + 1 && (m[0] == 0 || m[0] == 1);
      for (int b = 1; ok && b < m.length; b++) {
        ok = m[b] >= 0;
        sum += m[b];
      }
      if (!ok || sum != n) {
        throw new FederaException(
            ErrorCode.PROTOCOL,
            "host " + host + " sent bin counts of feature " + f + " that do not add up to " + n);
      }
      missing[f] = m[0] == 1;
      rows[f] = java.util.Arrays.copyOfRange(m, 1, m.length);
    }
    int slots = events.slots();
    long[][][] ev = new long[features][slots][];
    List<int[]> sent = new ArrayList<>(); // (feature, bin) of each packed sum, in order
    for (int f = 0; f < features; f++) {
      int skip = BinningMessages.skipped(rows[f]);
      for (int k = 0; k < slots; k++) {
        ev[f][k] = new long[rows[f].length];
      }
      for (int b = 0; b < rows[f].length; b++) {
        if (b != skip && rows[f][b] > 0) {
          sent.add(new int[] {f, b});
        }
      }
    }
    Ciphertext[] sums = CiphertextCodec.decode(keys.publicKey(), receive(host, messages.sums()));
    int perCiphertext = scheme.capacity() / slots;
    int expected = (sent.size() + perCiphertext - 1) / perCiphertext;
    if (sums.length != expected) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "host " + host + " sent " + sums.length + " packed sums, not " + expected);
    }
    BigInteger[][] plain = new BigInteger[sums.length][];
    engine.forEachRange(
        sums.length,
        1,
        (from, to) -> {
          for (int c = from; c < to; c++) {
            int entries = Math.min(perCiphertext, sent.size() - c * perCiphertext);
            plain[c] = scheme.unpack(keys.privateKey().decryptRaw(sums[c]), entries * slots);
          }
        });
    decrypted += sums.length;
    for (int e = 0; e < sent.size(); e++) {
      int f = sent.get(e)[0];
      int b = sent.get(e)[1];
      for (int k = 0; k < slots; k++) {
        long v = plain[e / perCiphertext][(e % perCiphertext) * slots + k].longValueExact();
        if (v > rows[f][b]) {
          throw new FederaException(
              ErrorCode.PROTOCOL, "host " + host + "'s sums hold more events than rows in a bin");
        }
        ev[f][k][b] = v;
      }
    }
    for (int f = 0; f < features; f++) { // the most populous bin: the totals minus the others
      int skip = BinningMessages.skipped(rows[f]);
      for (int k = 0; k < slots; k++) {
        long rest = events.totals()[k];
        for (int b = 0; b < rows[f].length; b++) {
          rest -= b == skip ? 0 : ev[f][k][b];
        }
        if (rest < 0 || rest > rows[f][skip]) {
          throw new FederaException(
              ErrorCode.PROTOCOL, "host " + host + "'s sums exceed the guest's own event totals");
        }
        ev[f][k][skip] = rest;
      }
    }
    List<String> names = new ArrayList<>();
    for (int f = 0; f < features; f++) {
      names.add("host_" + host + "_" + f);
    }
    LocalBinning.Finished done =
        LocalBinning.finish(names, new double[features][], missing, rows, ev, params);
    if (params.method().equals("optimal")) {
      federation.send(
          host,
          messages.merged(),
          BinningMessages.encode(done.kept()),
          PayloadKind.PLAINTEXT_AGGREGATE);
    }
    return done.bins();
  }

  private byte[] receive(int host, MessageKey key) {
    return federation.receive(host, key, params.timeout());
  }
}

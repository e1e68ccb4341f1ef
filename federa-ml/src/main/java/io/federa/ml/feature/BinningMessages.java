package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.MessageKey;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The messages of hetero feature binning, one typed key each, and the wire form of the bin counts.
 * Every decoder refuses a malformed body with {@code PROTOCOL}.
 */
final class BinningMessages {
  private final MessageKey base;

  BinningMessages(MessageKey base) {
    this.base = base;
  }

  /** Guest → hosts: the rows (each host checks it holds as many) and the label slots per row. */
  MessageKey setup() {
    return base.withTag("setup");
  }

  /** Guest → hosts: the guest's public key. */
  MessageKey publicKey() {
    return base.withTag("public_key");
  }

  /** Guest → hosts: each row's encrypted one-hot label (one slot per event class). */
  MessageKey labels() {
    return base.withTag("labels");
  }

  /** Host → guest: the rows in each bin of each of its features (plain counts). */
  MessageKey counts() {
    return base.withTag("counts");
  }

  /**
   * Host → guest: the encrypted label sums of every bin but each feature's most populous, packed
   * several bins to a ciphertext.
   */
  MessageKey sums() {
    return base.withTag("sums");
  }

  /** Guest → host (optimal binning): which of its fine bins' upper edges each feature keeps. */
  MessageKey merged() {
    return base.withTag("merged");
  }

  /** Per feature, per bin: a count (or a kept edge index). */
  static byte[] encode(long[][] values) {
    int size = 4;
    for (long[] v : values) {
      size += 4 + 8 * v.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).putInt(values.length);
    for (long[] v : values) {
      b.putInt(v.length);
      for (long x : v) {
        b.putLong(x);
      }
    }
    return b.array();
  }

  static long[][] decode(byte[] bytes, String what) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      int features = b.getInt();
      if (features < 0 || features > bytes.length / 4) {
        throw new BufferUnderflowException();
      }
      long[][] out = new long[features][];
      for (int f = 0; f < features; f++) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / 8) {
          throw new BufferUnderflowException();
        }
        out[f] = new long[n];
        for (int k = 0; k < n; k++) {
          out[f][k] = b.getLong();
        }
      }
      if (b.hasRemaining()) {
        throw new BufferUnderflowException();
      }
      return out;
    } catch (BufferUnderflowException e) {
      throw new FederaException(ErrorCode.PROTOCOL, "a malformed " + what + " message arrived");
    }
  }

  /**
   * The bin of each feature whose label sums are not sent: its most populous (the first, on a tie),
   * which the guest derives as its own label totals minus the other bins' sums.
   */
  static int skipped(long[] counts) {
    int best = 0;
    for (int b = 1; b < counts.length; b++) {
      if (counts[b] > counts[best]) {
        best = b;
      }
    }
    return best;
  }
}

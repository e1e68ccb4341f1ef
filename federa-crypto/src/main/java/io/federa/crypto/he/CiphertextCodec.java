package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The wire form of ciphertexts, checked on the way in. A vector is {@code 'F' 'P' version count}
 * and per ciphertext {@code fingerprint(8) exponent(4) bound(8, a double) c·R mod N} where {@code
 * N} is the ciphertext modulus ({@code n²} for Paillier, {@code n} for OU) and the element travels
 * in Montgomery form ({@code R = 2^(32·L)}, L the even number of 32-bit words of N, big-endian
 * words): both sides hold N, so no conversion is needed on either side (the mapping {@code c ↦ c·R}
 * is a public bijection of {@code Z_N}, it hides and reveals nothing). Decoding refuses a truncated
 * buffer, a ciphertext made under another key, and an element outside {@code Z*_N} ({@code c = 0},
 * {@code c ≥ N}, or {@code gcd(c, n) ≠ 1}: such an element could reveal a factor of {@code n} to
 * the decrypting party's answers). The gcd is checked once per vector, on the product.
 */
public final class CiphertextCodec {
  private static final byte VERSION = 2;
  private static final int HEADER = 2 + 1 + 4;
  private static final int RANGE = 512;

  private CiphertextCodec() {}

  public static byte[] encode(Ciphertext... values) {
    return encode(values, null);
  }

  /** As {@link #encode(Ciphertext...)}, converting the elements on {@code engine}'s cores. */
  public static byte[] encode(Ciphertext[] values, ComputingEngine engine) {
    if (values.length == 0) {
      return ByteBuffer.allocate(HEADER)
          .put((byte) 'F')
          .put((byte) 'P')
          .put(VERSION)
          .putInt(0)
          .array();
    }
    HePublicKey key = values[0].publicKey();
    Montgomery mont = key.montgomery();
    int words = mont.length();
    int stride = 20 + 4 * words;
    byte[] bytes = new byte[HEADER + values.length * stride];
    ByteBuffer.wrap(bytes).put((byte) 'F').put((byte) 'P').put(VERSION).putInt(values.length);
    byte[] fingerprint = key.fingerprint();
    run(
        engine,
        values.length,
        (from, to) -> {
          ByteBuffer out = ByteBuffer.wrap(bytes);
          out.position(HEADER + from * stride);
          for (int i = from; i < to; i++) {
            Ciphertext c = values[i];
            key.requireSameKey(c.publicKey());
            out.put(fingerprint).putInt(c.exponent()).putDouble(c.bound());
            for (int word : mont.canonical(c.montgomeryValue())) {
              out.putInt(word);
            }
          }
        });
    return bytes;
  }

  public static Ciphertext[] decode(HePublicKey key, byte[] bytes) {
    return decode(key, bytes, null);
  }

  /** As {@link #decode(HePublicKey, byte[])}, checking the elements on {@code engine}. */
  public static Ciphertext[] decode(HePublicKey key, byte[] bytes, ComputingEngine engine) {
    ByteBuffer header = ByteBuffer.wrap(bytes);
    if (bytes.length < HEADER || header.get() != 'F' || header.get() != 'P') {
      throw refused("it is not a Federa ciphertext message (bad header)");
    }
    byte version = header.get();
    if (version != VERSION) {
      throw refused("version " + version + " is not understood (this node reads " + VERSION + ")");
    }
    int count = header.getInt();
    Montgomery m = key.montgomery();
    int words = m.length();
    int stride = 20 + 4 * words;
    long expected = HEADER + (long) count * stride;
    if (count < 0 || bytes.length != expected) {
      throw refused(
          "it is truncated or padded: "
              + count
              + " ciphertexts need "
              + expected
              + " bytes, got "
              + bytes.length);
    }
    BigInteger n = key.modulus();
    byte[] fingerprint = key.fingerprint();
    Ciphertext[] out = new Ciphertext[count];
    int[][] products = new int[Math.max(1, (count + RANGE - 1) / RANGE)][];
    run(
        engine,
        count,
        (from, to) -> {
          ByteBuffer in = ByteBuffer.wrap(bytes);
          in.position(HEADER + from * stride);
          int[] product = m.one();
          byte[] theirs = new byte[8];
          for (int i = from; i < to; i++) {
            in.get(theirs);
            if (!MessageDigest.isEqual(theirs, fingerprint)) {
              throw refused(
                  "ciphertext "
                      + i
                      + " was made under another key ("
                      + HexFormat.of().formatHex(theirs)
                      + ", expected "
                      + key.fingerprintHex()
                      + "); every party must use the job's key");
            }
            int exponent = in.getInt();
            double bound = in.getDouble();
            int[] value = new int[words];
            for (int w = 0; w < words; w++) {
              value[w] = in.getInt();
            }
            if (!m.inRange(value)) {
              throw refused(
                  "ciphertext "
                      + i
                      + " is not an element of the key's group (it is 0 or too large)");
            }
            if (!(bound == Ciphertext.RAW || (bound >= 0 && bound <= key.maxInt().bitLength()))) {
              throw refused("ciphertext " + i + " declares an impossible bound " + bound);
            }
            m.mulInto(product, value, product);
            out[i] = new Ciphertext(key, value, exponent, bound);
          }
          products[from / RANGE] = product;
        });
    if (count > 0) {
      int[] product = m.one();
      for (int[] p : products) {
        m.mulInto(product, p, product);
      }
      if (!m.toBig(product).mod(n).gcd(n).equals(BigInteger.ONE)) {
        throw refused("a ciphertext shares a factor with n, so it is not in the key's group");
      }
    }
    return out;
  }

  /** Ranges of {@link #RANGE} elements, on {@code engine} or (null) on this thread. */
  private static void run(ComputingEngine engine, int count, ComputingEngine.RangeAction action) {
    int ranges = (count + RANGE - 1) / RANGE;
    ComputingEngine.RangeAction byRange =
        (fromRange, toRange) -> {
          for (int r = fromRange; r < toRange; r++) {
            action.run(r * RANGE, Math.min(count, (r + 1) * RANGE));
          }
        };
    if (engine == null) {
      byRange.run(0, ranges);
    } else {
      engine.forEachRange(ranges, 1, byRange);
    }
  }

  private static FederaException refused(String why) {
    return new FederaException(ErrorCode.INVALID_INPUT, "ciphertext message refused: " + why);
  }
}

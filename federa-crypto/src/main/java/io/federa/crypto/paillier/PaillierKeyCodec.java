package io.federa.crypto.paillier;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keys as bytes: the public key for the wire, the private key for its owner's storage (which must
 * keep it secret: write it with owner-only permissions, never log it). Every integer is
 * length-prefixed, big-endian and unsigned.
 *
 * <pre>
 * public key:  variant(1) n [h_s]            (h_s only for a subgroup key)
 * private key: public-key-bytes p q [a b]
 * </pre>
 */
public final class PaillierKeyCodec {
  private PaillierKeyCodec() {}

  public static byte[] encodePublicKey(PaillierPublicKey key) {
    List<BigInteger> parts = new ArrayList<>();
    parts.add(key.modulus());
    if (key.randomnessBase() != null) {
      parts.add(key.randomnessBase());
    }
    return join(new byte[] {(byte) key.variant().ordinal()}, parts);
  }

  /**
   * Decodes and checks a public key; {@code testingOnly} accepts the small keys of tests, and is
   * otherwise false so that a key under 2048 bits is refused.
   */
  public static PaillierPublicKey decodePublicKey(byte[] bytes, boolean testingOnly) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    PaillierPublicKey key = readPublicKey(in, testingOnly);
    requireEnd(in, "public key");
    return key;
  }

  public static byte[] encodePrivateKey(PaillierPrivateKey key) {
    byte[] publicKey = encodePublicKey(key.publicKey());
    byte[] prefix =
        ByteBuffer.allocate(4 + publicKey.length).putInt(publicKey.length).put(publicKey).array();
    return join(prefix, Arrays.asList(key.primes()));
  }

  public static PaillierPrivateKey decodePrivateKey(byte[] bytes, boolean testingOnly) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      byte[] publicBytes = new byte[in.getInt()];
      in.get(publicBytes);
      PaillierPublicKey publicKey = decodePublicKey(publicBytes, testingOnly);
      BigInteger p = readInteger(in);
      BigInteger q = readInteger(in);
      PaillierPrivateKey key =
          publicKey.variant() == PaillierParameters.Variant.SUBGROUP
              ? PaillierPrivateKey.fromPrimes(publicKey, p, q, readInteger(in), readInteger(in))
              : PaillierPrivateKey.fromPrimes(publicKey, p, q);
      requireEnd(in, "private key");
      return key;
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw refused("private key", "it is truncated");
    }
  }

  private static PaillierPublicKey readPublicKey(ByteBuffer in, boolean testingOnly) {
    try {
      int variant = in.get();
      BigInteger n = readInteger(in);
      if (variant == PaillierParameters.Variant.STANDARD.ordinal()) {
        return PaillierPublicKey.fromModulus(n, testingOnly);
      }
      if (variant == PaillierParameters.Variant.SUBGROUP.ordinal()) {
        return PaillierPublicKey.fromModulusAndBase(n, readInteger(in), testingOnly);
      }
      throw refused("public key", "variant " + variant + " is unknown");
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw refused("public key", "it is truncated");
    }
  }

  private static BigInteger readInteger(ByteBuffer in) {
    int length = in.getInt();
    if (length > 4096) {
      throw refused("key", "an integer of " + length + " bytes is larger than any key");
    }
    byte[] b = new byte[length];
    in.get(b);
    return new BigInteger(1, b);
  }

  private static void requireEnd(ByteBuffer in, String what) {
    if (in.hasRemaining()) {
      throw refused(what, in.remaining() + " unexpected trailing bytes");
    }
  }

  private static byte[] join(byte[] prefix, List<BigInteger> parts) {
    List<byte[]> encoded = new ArrayList<>();
    int total = prefix.length;
    for (BigInteger v : parts) {
      byte[] b = v.toByteArray();
      b = b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
      encoded.add(b);
      total += 4 + b.length;
    }
    ByteBuffer out = ByteBuffer.allocate(total).put(prefix);
    for (byte[] b : encoded) {
      out.putInt(b.length).put(b);
    }
    return out.array();
  }

  private static FederaException refused(String what, String why) {
    return new FederaException(
        ErrorCode.INVALID_INPUT, "Paillier " + what + " refused: " + why + "; the key is corrupt");
  }
}

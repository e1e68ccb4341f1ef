package io.federa.crypto.he;

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
 * public key:  kind(1) n [h_s]               kind 0: standard Paillier, 1: subgroup Paillier
 *              kind(1) n G H                 kind 2: Okamoto–Uchiyama
 * private key: public-key-bytes p q [a b]    (Paillier)
 *              public-key-bytes p q t        (OU)
 * </pre>
 */
public final class HeKeyCodec {
  private HeKeyCodec() {}

  private static final int OU = 2;

  public static byte[] encodePublicKey(HePublicKey key) {
    List<BigInteger> parts = new ArrayList<>();
    parts.add(key.modulus());
    int kind;
    if (key instanceof OuPublicKey ou) {
      kind = OU;
      parts.add(ou.g());
      parts.add(ou.h());
    } else {
      PaillierPublicKey paillier = (PaillierPublicKey) key;
      kind = paillier.variant().ordinal();
      if (paillier.randomnessBase() != null) {
        parts.add(paillier.randomnessBase());
      }
    }
    return join(new byte[] {(byte) kind}, parts);
  }

  /**
   * Decodes and checks a public key; {@code testingOnly} accepts the small keys of tests, and is
   * otherwise false so that a key under 2048 bits is refused.
   */
  public static HePublicKey decodePublicKey(byte[] bytes, boolean testingOnly) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    HePublicKey key = readPublicKey(in, testingOnly);
    requireEnd(in, "public key");
    return key;
  }

  /**
   * Decodes a public key another party sent for a job configured with {@code expected}: test keys
   * only if the job allows them, and the job's scheme only.
   */
  public static HePublicKey decodePublicKey(byte[] bytes, HeParameters expected) {
    HePublicKey key = decodePublicKey(bytes, expected.testingOnly());
    if (key.scheme() != expected.scheme()) {
      throw refused(
          "public key",
          "it is a "
              + key.scheme().fateName()
              + " key but the job's encrypt_param.method is "
              + expected.scheme().fateName()
              + " (every party must run the same job configuration)");
    }
    return key;
  }

  public static byte[] encodePrivateKey(HePrivateKey key) {
    byte[] publicKey = encodePublicKey(key.publicKey());
    byte[] prefix =
        ByteBuffer.allocate(4 + publicKey.length).putInt(publicKey.length).put(publicKey).array();
    return join(prefix, Arrays.asList(key.primes()));
  }

  public static HePrivateKey decodePrivateKey(byte[] bytes, boolean testingOnly) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      byte[] publicBytes = new byte[in.getInt()];
      in.get(publicBytes);
      HePublicKey anyKey = decodePublicKey(publicBytes, testingOnly);
      BigInteger p = readInteger(in);
      BigInteger q = readInteger(in);
      HePrivateKey key;
      if (anyKey instanceof OuPublicKey ou) {
        key = new OuPrivateKey(ou, p, q, readInteger(in));
      } else {
        PaillierPublicKey publicKey = (PaillierPublicKey) anyKey;
        key =
            publicKey.variant() == HeParameters.Variant.SUBGROUP
                ? PaillierPrivateKey.fromPrimes(publicKey, p, q, readInteger(in), readInteger(in))
                : PaillierPrivateKey.fromPrimes(publicKey, p, q);
      }
      requireEnd(in, "private key");
      return key;
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw refused("private key", "it is truncated");
    } catch (ArithmeticException e) { // a zero or negative number where a prime or modulus goes
      throw refused("private key", "its numbers do not form a key (" + e.getMessage() + ")");
    }
  }

  private static HePublicKey readPublicKey(ByteBuffer in, boolean testingOnly) {
    try {
      int variant = in.get();
      BigInteger n = readInteger(in);
      if (variant == HeParameters.Variant.STANDARD.ordinal()) {
        return PaillierPublicKey.fromModulus(n, testingOnly);
      }
      if (variant == HeParameters.Variant.SUBGROUP.ordinal()) {
        return PaillierPublicKey.fromModulusAndBase(n, readInteger(in), testingOnly);
      }
      if (variant == OU) {
        return OuPublicKey.fromParts(n, readInteger(in), readInteger(in), testingOnly);
      }
      throw refused("public key", "variant " + variant + " is unknown");
    } catch (ArithmeticException e) { // a zero or negative modulus
      throw refused("public key", "its numbers do not form a key (" + e.getMessage() + ")");
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
        ErrorCode.INVALID_INPUT,
        "homomorphic " + what + " refused: " + why + "; the key is corrupt");
  }
}

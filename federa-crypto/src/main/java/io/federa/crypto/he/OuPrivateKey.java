package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * An Okamoto–Uchiyama private key {@code (p, q, t)}: decryption is {@code m = L(c^t mod p²) · L(G^t
 * mod p²)⁻¹ mod p} (see {@link OuPublicKey}). A ciphertext whose noise is not in the key's
 * order-{@code t} subgroup modulo {@code p} is refused rather than decrypted to a meaningless
 * value, and a plaintext outside the signed band is refused (never returned).
 */
public final class OuPrivateKey extends HePrivateKey {
  private final OuPublicKey publicKey;
  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger t;
  private final BigInteger pSquared;
  private final Montgomery pMont;
  private final BigInteger gInverse;

  OuPrivateKey(OuPublicKey publicKey, BigInteger p, BigInteger q, BigInteger t) {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    this.p = p;
    this.q = q;
    this.t = t;
    this.pSquared = p.multiply(p);
    if (!pSquared.multiply(q).equals(publicKey.modulus())
        || p.subtract(BigInteger.ONE).mod(t).signum() != 0) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the OU private key does not match its public key");
    }
    BigInteger lg = l(publicKey.g().mod(pSquared).modPow(t, pSquared));
    if (lg == null || lg.mod(p).signum() == 0) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the OU key's G does not generate the plaintext group");
    }
    this.gInverse = lg.modInverse(p);
    this.pMont = new Montgomery(pSquared);
  }

  @Override
  public OuPublicKey publicKey() {
    return publicKey;
  }

  @Override
  BigInteger decryptElement(BigInteger c) {
    return plaintextOf(c.mod(pSquared).modPow(t, pSquared));
  }

  @Override
  BigInteger[] decryptElements(BigInteger[] c) {
    BigInteger[] x = powers(pMont, c, t);
    BigInteger[] out = new BigInteger[c.length];
    for (int k = 0; k < c.length; k++) {
      out[k] = plaintextOf(x[k]);
    }
    return out;
  }

  /** {@code L(x)·L(G^t)⁻¹ mod p} of {@code x = c^t mod p²}. */
  private BigInteger plaintextOf(BigInteger x) {
    BigInteger lc = l(x);
    if (lc == null) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the ciphertext was not made with this OU key's randomness; it is corrupt or forged,"
              + " and is not decrypted");
    }
    return lc.multiply(gInverse).mod(p);
  }

  @Override
  BigInteger signed(BigInteger plaintext) {
    BigInteger max = publicKey.maxInt();
    if (plaintext.compareTo(max) <= 0) {
      return plaintext;
    }
    BigInteger negative = plaintext.subtract(p);
    if (negative.negate().compareTo(max) <= 0) {
      return negative;
    }
    throw new FederaException(
        ErrorCode.INVALID_INPUT,
        "the decrypted value lies outside the OU key's signed band (|m| < 2^"
            + max.bitLength()
            + "): a computation exceeded the plaintext space, or the ciphertext was crafted; it is"
            + " not released. Lower the encoder's precision or value range");
  }

  /** {@code (x − 1)/p}, or {@code null} when {@code x ≢ 1 (mod p)}. */
  private BigInteger l(BigInteger x) {
    BigInteger[] qr = x.subtract(BigInteger.ONE).divideAndRemainder(p);
    return qr[1].signum() == 0 ? qr[0] : null;
  }

  /** {@code p, q, t}, for the key's owner to store. */
  @Override
  public BigInteger[] primes() {
    return new BigInteger[] {p, q, t};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OuPrivateKey other
        && MessageDigest.isEqual(p.toByteArray(), other.p.toByteArray())
            & publicKey.equals(other.publicKey);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }
}

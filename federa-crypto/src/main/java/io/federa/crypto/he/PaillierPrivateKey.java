package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A Paillier private key {@code (p, q)}. Decryption uses the Chinese remainder theorem (Paillier
 * 1999, section 7): {@code m_p = L_p(c^(e_p) mod p²)·h_p mod p}, likewise for {@code q}, then
 * Garner's CRT — two half-size exponentiations instead of one modulo {@code n²}. The exponent
 * {@code e_p} is {@code p − 1} for a standard key and {@code 2a} (about 2κ bits) for a subgroup
 * key, whose randomness has order dividing {@code 2a} modulo {@code p²} (Ma–Han–Lei 2021, section
 * 4.2).
 *
 * <p>It never prints itself and compares in constant time.
 */
public final class PaillierPrivateKey extends HePrivateKey {
  private final PaillierPublicKey publicKey;
  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger a;
  private final BigInteger b;
  private final BigInteger pSquared;
  private final BigInteger qSquared;
  private final BigInteger pExponent;
  private final BigInteger qExponent;
  private final BigInteger hp;
  private final BigInteger hq;
  private final BigInteger pInverseModQ;
  private final Montgomery pMont;
  private final Montgomery qMont;

  private PaillierPrivateKey(
      PaillierPublicKey publicKey, BigInteger p, BigInteger q, BigInteger a, BigInteger b) {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    if (!p.multiply(q).equals(publicKey.modulus())) {
      throw new FederaException(ErrorCode.INVALID_INPUT, "p·q does not match the public key");
    }
    this.p = p;
    this.q = q;
    this.a = a;
    this.b = b;
    this.pSquared = p.multiply(p);
    this.qSquared = q.multiply(q);
    boolean subgroup = a != null;
    if (subgroup
        && (!p.subtract(BigInteger.ONE).mod(a.shiftLeft(1)).equals(BigInteger.ZERO)
            || !q.subtract(BigInteger.ONE).mod(b.shiftLeft(1)).equals(BigInteger.ZERO))) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the subgroup primes do not divide p − 1 and q − 1");
    }
    this.pExponent = subgroup ? a.shiftLeft(1) : p.subtract(BigInteger.ONE);
    this.qExponent = subgroup ? b.shiftLeft(1) : q.subtract(BigInteger.ONE);
    BigInteger g = publicKey.modulus().add(BigInteger.ONE);
    this.hp = l(g.modPow(pExponent, pSquared), p).modInverse(p);
    this.hq = l(g.modPow(qExponent, qSquared), q).modInverse(q);
    this.pInverseModQ = p.modInverse(q);
    this.pMont = new Montgomery(pSquared);
    this.qMont = new Montgomery(qSquared);
  }

  static PaillierPrivateKey standard(PaillierPublicKey publicKey, BigInteger p, BigInteger q) {
    return new PaillierPrivateKey(publicKey, p, q, null, null);
  }

  static PaillierPrivateKey subgroup(
      PaillierPublicKey publicKey, BigInteger p, BigInteger q, BigInteger a, BigInteger b) {
    return new PaillierPrivateKey(publicKey, p, q, a, b);
  }

  /** Rebuilds a standard private key from its primes (see {@link HeKeyCodec}). */
  static PaillierPrivateKey fromPrimes(PaillierPublicKey publicKey, BigInteger p, BigInteger q) {
    return standard(publicKey, p, q);
  }

  /**
   * Rebuilds a subgroup private key from its primes and the small primes {@code a | p − 1}, {@code
   * b | q − 1}.
   */
  static PaillierPrivateKey fromPrimes(
      PaillierPublicKey publicKey, BigInteger p, BigInteger q, BigInteger a, BigInteger b) {
    return subgroup(publicKey, p, q, a, b);
  }

  @Override
  public PaillierPublicKey publicKey() {
    return publicKey;
  }

  @Override
  BigInteger signed(BigInteger plaintext) {
    return EncodedNumber.signed(publicKey, plaintext);
  }

  @Override
  BigInteger decryptElement(BigInteger c) {
    BigInteger mp = half(c.mod(pSquared).modPow(pExponent, pSquared), p, hp);
    BigInteger mq = half(c.mod(qSquared).modPow(qExponent, qSquared), q, hq);
    return garner(mp, mq);
  }

  @Override
  BigInteger[] decryptElements(BigInteger[] c) {
    BigInteger[] xp = powers(pMont, c, pExponent);
    BigInteger[] xq = powers(qMont, c, qExponent);
    BigInteger[] out = new BigInteger[c.length];
    for (int k = 0; k < c.length; k++) {
      out[k] = garner(half(xp[k], p, hp), half(xq[k], q, hq));
    }
    return out;
  }

  /** Garner: {@code m = mp + p·((mq − mp)·p⁻¹ mod q)}. */
  private BigInteger garner(BigInteger mp, BigInteger mq) {
    BigInteger u = mq.subtract(mp).multiply(pInverseModQ).mod(q);
    return mp.add(u.multiply(p));
  }

  /** {@code L_p(x)·h_p mod p} of {@code x = c^(e_p) mod p²}. */
  private static BigInteger half(BigInteger x, BigInteger prime, BigInteger h) {
    BigInteger[] qr = x.subtract(BigInteger.ONE).divideAndRemainder(prime);
    if (qr[1].signum() != 0) {
      // only a subgroup key can get here: the element's randomness is not in the key's subgroup
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the ciphertext was not made with this key's randomness (it is not in the key's"
              + " subgroup); it is corrupt or forged, and is not decrypted");
    }
    return qr[0].multiply(h).mod(prime);
  }

  /** {@code L(x) = (x − 1) / d}. */
  private static BigInteger l(BigInteger x, BigInteger d) {
    return x.subtract(BigInteger.ONE).divide(d);
  }

  /**
   * The primes {@code p, q} (and for a subgroup key {@code a, b}), for the key's owner to store.
   */
  @Override
  public BigInteger[] primes() {
    return a == null ? new BigInteger[] {p, q} : new BigInteger[] {p, q, a, b};
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PaillierPrivateKey other)) {
      return false;
    }
    byte[] x = p.toByteArray();
    byte[] y = other.p.toByteArray();
    return MessageDigest.isEqual(x, y) & publicKey.equals(other.publicKey);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }
}

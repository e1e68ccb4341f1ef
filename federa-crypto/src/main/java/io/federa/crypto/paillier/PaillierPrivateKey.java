package io.federa.crypto.paillier;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A Paillier private key {@code (p, q)}. Decryption uses the Chinese remainder theorem (Paillier
 * 1999, section 7): {@code m_p = L_p(c^(p−1) mod p²)·h_p mod p}, likewise for {@code q}, then CRT —
 * two half-size exponentiations instead of one {@code λ}-exponentiation modulo {@code n²}.
 *
 * <p>It never prints itself and compares in constant time.
 */
public final class PaillierPrivateKey {
  private final PaillierPublicKey publicKey;
  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger pSquared;
  private final BigInteger qSquared;
  private final BigInteger pMinusOne;
  private final BigInteger qMinusOne;
  private final BigInteger hp;
  private final BigInteger hq;
  private final BigInteger pInverseModQ;

  PaillierPrivateKey(PaillierPublicKey publicKey, BigInteger p, BigInteger q) {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    if (!p.multiply(q).equals(publicKey.modulus())) {
      throw new FederaException(ErrorCode.INVALID_INPUT, "p·q does not match the public key");
    }
    this.p = p;
    this.q = q;
    this.pSquared = p.multiply(p);
    this.qSquared = q.multiply(q);
    this.pMinusOne = p.subtract(BigInteger.ONE);
    this.qMinusOne = q.subtract(BigInteger.ONE);
    BigInteger g = publicKey.modulus().add(BigInteger.ONE);
    this.hp = l(g.modPow(pMinusOne, pSquared), p).modInverse(p);
    this.hq = l(g.modPow(qMinusOne, qSquared), q).modInverse(q);
    this.pInverseModQ = p.modInverse(q);
  }

  /** Rebuilds a private key from its primes (as stored by its owner). */
  public static PaillierPrivateKey fromPrimes(
      PaillierPublicKey publicKey, BigInteger p, BigInteger q) {
    return new PaillierPrivateKey(publicKey, p, q);
  }

  public PaillierPublicKey publicKey() {
    return publicKey;
  }

  /** Decrypts to the fixed-point number (checks the overflow band). */
  public EncodedNumber decryptEncoded(Ciphertext c) {
    BigInteger m = decryptRaw(c);
    EncodedNumber.signed(publicKey, m); // refuses the overflow band
    return new EncodedNumber(publicKey, m, c.exponent(), Math.max(c.bound(), 0));
  }

  /** Decrypts to a double. */
  public double decrypt(Ciphertext c) {
    BigInteger m = decryptRaw(c);
    return FixedPointEncoder.decode(EncodedNumber.signed(publicKey, m), c.exponent());
  }

  /** Decrypts to the plaintext integer in {@code [0, n)} (packed or raw values). */
  public BigInteger decryptRaw(Ciphertext c) {
    publicKey.requireSameKey(c.publicKey());
    return decryptElement(c.element());
  }

  BigInteger decryptElement(BigInteger c) {
    BigInteger mp = l(c.mod(pSquared).modPow(pMinusOne, pSquared), p).multiply(hp).mod(p);
    BigInteger mq = l(c.mod(qSquared).modPow(qMinusOne, qSquared), q).multiply(hq).mod(q);
    // Garner: m = mp + p·((mq − mp)·p⁻¹ mod q)
    BigInteger u = mq.subtract(mp).multiply(pInverseModQ).mod(q);
    return mp.add(u.multiply(p));
  }

  /** {@code L(x) = (x − 1) / d}. */
  private static BigInteger l(BigInteger x, BigInteger d) {
    return x.subtract(BigInteger.ONE).divide(d);
  }

  /** The primes, for the key's owner to store (never log them). */
  public BigInteger[] primes() {
    return new BigInteger[] {p, q};
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PaillierPrivateKey other)) {
      return false;
    }
    byte[] a = p.toByteArray();
    byte[] b = other.p.toByteArray();
    return MessageDigest.isEqual(a, b) & publicKey.equals(other.publicKey);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "PaillierPrivateKey<redacted>";
  }
}

package io.federa.crypto.he;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Textbook Paillier (Paillier 1999, section 3), the baseline of {@code federa bench paillier}:
 * encryption {@code g^m·r^n mod n²} with {@code BigInteger.modPow}, decryption with {@code λ}
 * modulo {@code n²}, and every operation a {@code multiply} then {@code mod}. Not for use: it
 * exists so that every speed figure has a reference measured in the same run.
 */
public final class TextbookPaillier {
  private final BigInteger n;
  private final BigInteger nSquared;
  private final BigInteger g;
  private final BigInteger lambda;
  private final BigInteger mu;
  private final SecureRandom random = new SecureRandom();

  /** The textbook scheme on the same primes as {@code key}, so both can be compared. */
  public TextbookPaillier(PaillierPrivateKey key) {
    BigInteger p = key.primes()[0];
    BigInteger q = key.primes()[1];
    this.n = p.multiply(q);
    this.nSquared = n.multiply(n);
    this.g = n.add(BigInteger.ONE);
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    BigInteger qm1 = q.subtract(BigInteger.ONE);
    this.lambda = pm1.multiply(qm1).divide(pm1.gcd(qm1));
    this.mu = l(g.modPow(lambda, nSquared)).modInverse(n);
  }

  public BigInteger encrypt(BigInteger m) {
    BigInteger r;
    do {
      r = new BigInteger(n.bitLength(), random);
    } while (r.signum() == 0 || r.compareTo(n) >= 0);
    return g.modPow(m, nSquared).multiply(r.modPow(n, nSquared)).mod(nSquared);
  }

  public BigInteger decrypt(BigInteger c) {
    return l(c.modPow(lambda, nSquared)).multiply(mu).mod(n);
  }

  private BigInteger l(BigInteger x) {
    return x.subtract(BigInteger.ONE).divide(n);
  }

  public BigInteger add(BigInteger a, BigInteger b) {
    return a.multiply(b).mod(nSquared);
  }

  /**
   * {@code Σ c_i·k_i} as one {@code modPow} per term, each followed by a {@code multiply} and
   * {@code mod}; negative scalars are gathered in a second product that is inverted once at the
   * end.
   */
  public BigInteger dot(BigInteger[] c, BigInteger[] k) {
    BigInteger positive = BigInteger.ONE;
    BigInteger negative = BigInteger.ONE;
    for (int i = 0; i < c.length; i++) {
      if (k[i].signum() >= 0) {
        positive = positive.multiply(c[i].modPow(k[i], nSquared)).mod(nSquared);
      } else {
        negative = negative.multiply(c[i].modPow(k[i].negate(), nSquared)).mod(nSquared);
      }
    }
    return positive.multiply(negative.modInverse(nSquared)).mod(nSquared);
  }

  /** Signed value of a decrypted plaintext. */
  public BigInteger signed(BigInteger m) {
    return m.compareTo(n.shiftRight(1)) > 0 ? m.subtract(n) : m;
  }

  public BigInteger modulus() {
    return n;
  }
}

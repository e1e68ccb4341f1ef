package io.federa.crypto.paillier.baseline;

import io.federa.crypto.paillier.PaillierPrivateKey;
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
   * {@code Σ c_i·k_i} as one {@code modPow} per term; negative scalars go through {@code n − |k|}.
   */
  public BigInteger dot(BigInteger[] c, BigInteger[] k) {
    BigInteger acc = BigInteger.ONE;
    for (int i = 0; i < c.length; i++) {
      BigInteger e = k[i].signum() >= 0 ? k[i] : n.add(k[i]);
      acc = acc.multiply(c[i].modPow(e, nSquared)).mod(nSquared);
    }
    return acc;
  }

  /** Signed value of a decrypted plaintext. */
  public BigInteger signed(BigInteger m) {
    return m.compareTo(n.shiftRight(1)) > 0 ? m.subtract(n) : m;
  }

  public BigInteger modulus() {
    return n;
  }
}

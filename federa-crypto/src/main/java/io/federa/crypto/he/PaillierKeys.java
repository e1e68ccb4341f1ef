package io.federa.crypto.he;

import java.math.BigInteger;
import java.security.SecureRandom;

/** Generates Paillier key pairs, standard or subgroup ({@link HeKeyPair#generate}). */
final class PaillierKeys {
  private PaillierKeys() {}

  static HeKeyPair generate(HeParameters params, SecureRandom random) {
    return switch (params.variant()) {
      case STANDARD -> standard(params, random);
      case SUBGROUP -> subgroup(params, random);
    };
  }

  /**
   * Two random primes of half the modulus size each (drawn again until {@code n = p·q} has exactly
   * the requested size); {@code p ≠ q}, and {@code gcd(n, (p−1)(q−1)) = 1}, which makes {@code g =
   * n + 1} a valid generator (Paillier 1999, section 3).
   */
  private static HeKeyPair standard(HeParameters params, SecureRandom random) {
    int half = params.modulusBits() / 2;
    while (true) {
      // sieved candidates, composite with probability below 2^-100 (BigInteger.probablePrime)
      BigInteger p = BigInteger.probablePrime(half, random);
      BigInteger q = BigInteger.probablePrime(half, random);
      BigInteger n = p.multiply(q);
      if (p.equals(q) || n.bitLength() != params.modulusBits()) {
        continue;
      }
      BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
      if (!n.gcd(phi).equals(BigInteger.ONE)) {
        continue;
      }
      var publicKey = PaillierPublicKey.standard(n, params.testingOnly());
      return new HeKeyPair(publicKey, PaillierPrivateKey.standard(publicKey, p, q));
    }
  }

  /**
   * Ma–Han–Lei keys (ACSAC 2021, section 4): small primes {@code a, b} of {@code 2κ} bits; primes
   * {@code P = 2·a·a' + 1}, {@code Q = 2·b·b' + 1} of half the modulus size with random {@code a',
   * b'}; {@code h = −y^(2·a'·b') mod n} for a random {@code y}, which has order dividing {@code
   * 2ab}; and {@code h_s = h^n mod n²}, published with {@code n}.
   */
  private static HeKeyPair subgroup(HeParameters params, SecureRandom random) {
    int half = params.modulusBits() / 2;
    int smallBits = 2 * params.securityBits();
    while (true) {
      BigInteger a = BigInteger.probablePrime(smallBits, random);
      BigInteger b = BigInteger.probablePrime(smallBits, random);
      if (a.equals(b)) {
        continue;
      }
      BigInteger[] pa = structuredPrime(half, a, random);
      BigInteger[] qb = structuredPrime(half, b, random);
      BigInteger p = pa[0];
      BigInteger q = qb[0];
      BigInteger n = p.multiply(q);
      if (p.equals(q) || n.bitLength() != params.modulusBits()) {
        continue;
      }
      BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
      if (!n.gcd(phi).equals(BigInteger.ONE)) {
        continue;
      }
      BigInteger twoBeta = pa[1].multiply(qb[1]).shiftLeft(1);
      BigInteger h;
      do {
        BigInteger y = new BigInteger(n.bitLength() + 64, random).mod(n);
        h = n.subtract(y.modPow(twoBeta, n)); // −y^(2β) mod n
      } while (h.equals(BigInteger.ONE)
          || h.equals(n.subtract(BigInteger.ONE))
          || !h.gcd(n).equals(BigInteger.ONE));
      BigInteger hs = h.modPow(n, n.multiply(n));
      var publicKey =
          PaillierPublicKey.subgroup(n, hs, params.securityBits(), params.testingOnly());
      return new HeKeyPair(publicKey, PaillierPrivateKey.subgroup(publicKey, p, q, a, b));
    }
  }

  /**
   * The product of the odd primes below 2,000: one gcd sieves most candidates before Miller–Rabin.
   */
  static final BigInteger SMALL_PRIMES_PRODUCT = smallPrimesProduct(2000);

  private static BigInteger smallPrimesProduct(int limit) {
    BigInteger product = BigInteger.ONE;
    for (int k = 3; k < limit; k += 2) {
      if (BigInteger.valueOf(k).isProbablePrime(50)) {
        product = product.multiply(BigInteger.valueOf(k));
      }
    }
    return product;
  }

  /** A prime {@code P = 2·s·s' + 1} of exactly {@code bits} bits; returns {@code {P, s'}}. */
  static BigInteger[] structuredPrime(int bits, BigInteger s, SecureRandom random) {
    int cofactorBits = bits - 1 - s.bitLength();
    while (true) {
      BigInteger cofactor = new BigInteger(cofactorBits, random).setBit(cofactorBits - 1);
      if (cofactor.mod(s).signum() == 0) {
        continue;
      }
      BigInteger p = s.multiply(cofactor).shiftLeft(1).add(BigInteger.ONE);
      if (p.bitLength() == bits
          && p.gcd(SMALL_PRIMES_PRODUCT).equals(BigInteger.ONE)
          && p.isProbablePrime(100)) {
        return new BigInteger[] {p, cofactor};
      }
    }
  }
}

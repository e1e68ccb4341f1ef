package io.federa.crypto.he;

import java.math.BigInteger;
import java.security.SecureRandom;

/** Generates Okamoto–Uchiyama key pairs ({@link HeKeyPair#generate}); see {@link OuPublicKey}. */
final class OuKeys {
  private OuKeys() {}

  /**
   * {@code p = t·u + 1} of exactly {@code ⌈k/3⌉} bits with a prime {@code t} of {@code 2κ} bits and
   * its top two bits set (so {@code p²} has {@code 2·bits(p)} bits), then a prime {@code q} that
   * makes {@code n = p²q} exactly {@code k} bits; {@code g} with {@code g^(p−1) ≢ 1 (mod p²)},
   * {@code G = g^u}, {@code H = g'^(n·u)}.
   */
  static HeKeyPair generate(HeParameters params, SecureRandom random) {
    int k = params.modulusBits();
    int pBits = (k + 2) / 3;
    int tBits = 2 * params.securityBits();
    while (true) {
      BigInteger t = BigInteger.probablePrime(tBits, random);
      BigInteger[] pu = prime(pBits, t, random);
      BigInteger p = pu[0];
      BigInteger u = pu[1];
      BigInteger pSquared = p.multiply(p);
      int qBits = k - pSquared.bitLength() + 1;
      BigInteger n = null;
      BigInteger q = null;
      for (int attempt = 0; attempt < 64 && n == null; attempt++) {
        BigInteger candidate = BigInteger.probablePrime(qBits, random);
        BigInteger product = pSquared.multiply(candidate);
        if (product.bitLength() == k && !candidate.equals(p)) {
          q = candidate;
          n = product;
        }
      }
      if (n == null) {
        continue;
      }
      BigInteger pm1 = p.subtract(BigInteger.ONE);
      BigInteger g;
      do {
        g = unit(n, random);
      } while (g.mod(pSquared).modPow(pm1, pSquared).equals(BigInteger.ONE));
      BigInteger bigG = g.modPow(u, n);
      BigInteger bigH = unit(n, random).modPow(n.multiply(u), n);
      if (bigG.equals(BigInteger.ONE) || bigH.equals(BigInteger.ONE)) {
        continue;
      }
      var publicKey = new OuPublicKey(n, bigG, bigH, params.securityBits(), params.testingOnly());
      return new HeKeyPair(publicKey, new OuPrivateKey(publicKey, p, q, t));
    }
  }

  /** A prime {@code t·u + 1} of exactly {@code bits} bits with its top two bits set. */
  private static BigInteger[] prime(int bits, BigInteger t, SecureRandom random) {
    int uBits = bits - t.bitLength() + 1;
    BigInteger low = BigInteger.valueOf(3).shiftLeft(bits - 2);
    BigInteger high = BigInteger.ONE.shiftLeft(bits);
    while (true) {
      BigInteger u = new BigInteger(uBits, random).clearBit(0); // even, so p is odd
      BigInteger p = t.multiply(u).add(BigInteger.ONE);
      if (p.compareTo(low) >= 0
          && p.compareTo(high) < 0
          && p.gcd(PaillierKeys.SMALL_PRIMES_PRODUCT).equals(BigInteger.ONE)
          && p.isProbablePrime(100)) {
        return new BigInteger[] {p, u};
      }
    }
  }

  private static BigInteger unit(BigInteger n, SecureRandom random) {
    BigInteger x;
    do {
      x = new BigInteger(n.bitLength() + 64, random).mod(n);
    } while (x.compareTo(BigInteger.ONE) <= 0 || !x.gcd(n).equals(BigInteger.ONE));
    return x;
  }
}

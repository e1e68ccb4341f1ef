package io.federa.crypto.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/** A Paillier key pair; {@link #generate} makes one. */
public record PaillierKeyPair(PaillierPublicKey publicKey, PaillierPrivateKey privateKey) {
  public PaillierKeyPair {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /**
   * Two random primes of half the modulus size each (drawn again until {@code n = p·q} has exactly
   * the requested size); {@code p ≠ q}, and {@code gcd(n, (p−1)(q−1)) = 1}, which makes {@code g =
   * n + 1} a valid generator (Paillier 1999, section 3).
   */
  public static PaillierKeyPair generate(PaillierParameters params, SecureRandom random) {
    int half = params.modulusBits() / 2;
    while (true) {
      BigInteger p = prime(half, random);
      BigInteger q = prime(half, random);
      if (p.equals(q)) {
        continue;
      }
      BigInteger n = p.multiply(q);
      if (n.bitLength() != params.modulusBits()) {
        continue;
      }
      BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
      if (!n.gcd(phi).equals(BigInteger.ONE)) {
        continue;
      }
      var publicKey = new PaillierPublicKey(n, params.testingOnly());
      return new PaillierKeyPair(publicKey, new PaillierPrivateKey(publicKey, p, q));
    }
  }

  public static PaillierKeyPair generate(PaillierParameters params) {
    return generate(params, new SecureRandom());
  }

  private static BigInteger prime(int bits, SecureRandom random) {
    // sieved candidates, composite with probability below 2^-100 (BigInteger.probablePrime)
    return BigInteger.probablePrime(bits, random);
  }
}

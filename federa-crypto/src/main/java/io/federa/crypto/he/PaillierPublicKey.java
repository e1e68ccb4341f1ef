package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A Paillier public key {@code n} with {@code g = n + 1}. It encrypts, and it owns the arithmetic
 * of its ciphertexts (all in Montgomery form modulo {@code n²}, see {@link Montgomery}).
 *
 * <h2>Fast encryption</h2>
 *
 * Encryption is {@code c = (1 + m·n) · h_s^α mod n²}: the {@code r^n} of textbook Paillier is
 * replaced by a power of a fixed {@code n}-th residue {@code h_s} with a short random exponent
 * {@code α}, and {@code h_s^α} is read from a table of {@code h_s^(d·2^(w·j))} (fixed-base windowed
 * exponentiation): {@code bits(α)/w} Montgomery multiplications instead of a {@code k}-bit
 * exponentiation.
 *
 * <ul>
 *   <li><b>Subgroup keys</b> (the default; Ma, Han and Lei, "Optimized Paillier's cryptosystem with
 *       fast encryption and decryption", ACSAC 2021): {@code h_s} is published with {@code n} by
 *       the key's owner and generates a subgroup of order dividing {@code 2ab}, where {@code a | p
 *       − 1} and {@code b | q − 1} are secret primes of {@code 2κ} bits; {@code α} has {@code 4κ}
 *       bits (448 at 2048 bits, κ = 112). Decryption then needs exponents of only {@code 2κ + 1}
 *       bits.
 *   <li><b>Standard keys</b> (Damgård and Jurik, PKC 2001, section 4.1, as SecretFlow's HEU): each
 *       encrypting process draws its own {@code h = −x² mod n}, {@code h_s = h^n mod n²}, trusting
 *       nobody's base; {@code α} has {@code ⌈k/2⌉} bits; any element of {@code Z*_{n²}} decrypts.
 * </ul>
 *
 * <p><b>Security assumption.</b> Both are IND-CPA under the decisional composite residuosity
 * assumption (as textbook Paillier) together with a short-exponent assumption: that {@code h_s^α}
 * for a random {@code α} of the stated size cannot be told from a random element of the group
 * {@code h_s} generates. For subgroup keys Ma et al. also assume that publishing {@code h_s} (an
 * element of known small order's subgroup) does not help factor {@code n}; their parameters (2κ-bit
 * {@code a, b}, 4κ-bit {@code α}) put the best known attacks — factoring, and baby-step giant-step
 * or Pollard lambda on the subgroup — at about {@code 2^κ} operations. Subgroup keys trade textbook
 * compatibility (a ciphertext made with other randomness is refused at decryption) for 4× faster
 * decryption and 2× faster encryption.
 */
public final class PaillierPublicKey extends HePublicKey {
  private final HeParameters.Variant variant;
  private final BigInteger hs;
  private final BigInteger nSquared;

  /**
   * @param hs the randomness base of a {@link HeParameters.Variant#SUBGROUP} key, {@code null} for
   *     a standard key
   * @param shortExponentBits bits of the random exponent {@code α}
   */
  PaillierPublicKey(BigInteger n, BigInteger hs, int shortExponentBits, boolean testingOnly) {
    super(
        "federa-paillier-v1",
        n,
        n.multiply(n),
        n.divide(BigInteger.valueOf(3)).subtract(BigInteger.ONE),
        shortExponentBits,
        testingOnly,
        hs);
    this.hs = hs;
    this.variant = hs == null ? HeParameters.Variant.STANDARD : HeParameters.Variant.SUBGROUP;
    this.nSquared = n.multiply(n);
  }

  /** A standard key: {@code α} of {@code ⌈k/2⌉} bits. */
  static PaillierPublicKey standard(BigInteger n, boolean testingOnly) {
    return new PaillierPublicKey(n, null, (n.bitLength() + 1) / 2, testingOnly);
  }

  /** A subgroup key: {@code α} of {@code 4κ} bits. */
  static PaillierPublicKey subgroup(
      BigInteger n, BigInteger hs, int securityBits, boolean testing) {
    return new PaillierPublicKey(n, hs, 4 * securityBits, testing);
  }

  /**
   * A standard public key received from elsewhere. Refuses a modulus under 2048 bits unless {@code
   * testingOnly}, an even modulus, or one that is a perfect square.
   */
  static PaillierPublicKey fromModulus(BigInteger n, boolean testingOnly) {
    checkModulus(n, testingOnly);
    return standard(n, testingOnly);
  }

  /**
   * A subgroup public key received from elsewhere: the modulus checks of {@link #fromModulus}, and
   * {@code h_s} must be an element of {@code Z*_{n²}} other than ±1.
   */
  static PaillierPublicKey fromModulusAndBase(BigInteger n, BigInteger hs, boolean testingOnly) {
    HeParameters params = checkModulus(n, testingOnly);
    BigInteger nSquared = n.multiply(n);
    if (hs.signum() <= 0
        || hs.compareTo(nSquared) >= 0
        || hs.equals(BigInteger.ONE)
        || hs.equals(nSquared.subtract(BigInteger.ONE))
        || !hs.gcd(n).equals(BigInteger.ONE)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the key's randomness base h_s is not a usable element of Z*_{n²}; the key is corrupt or"
              + " forged: ask its owner for the job's key again");
    }
    return subgroup(n, hs, params.securityBits(), testingOnly);
  }

  private static HeParameters checkModulus(BigInteger n, boolean testingOnly) {
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "a Paillier modulus must be odd and positive; the key is corrupt");
    }
    HeParameters params =
        testingOnly
            ? HeParameters.insecureForTesting(roundUp64(n.bitLength()))
            : HeParameters.of(roundUp64(n.bitLength()));
    BigInteger root = n.sqrt();
    if (root.multiply(root).equals(n)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the Paillier modulus is a square, not p·q; the key is corrupt");
    }
    return params;
  }

  @Override
  public HeScheme scheme() {
    return HeScheme.PAILLIER;
  }

  @Override
  public int rawPlaintextBits() {
    return modulusBits() - 1;
  }

  /** Every integer in {@code [0, n)} is a Paillier plaintext. */
  @Override
  BigInteger rawLimit() {
    return modulus();
  }

  public HeParameters.Variant variant() {
    return variant;
  }

  /** The randomness base {@code h_s} of a subgroup key, or {@code null} for a standard key. */
  BigInteger randomnessBase() {
    return hs;
  }

  BigInteger nSquared() {
    return nSquared;
  }

  /** {@code g^m = 1 + m·n} in Montgomery form: a ciphertext of {@code m} with no randomness. */
  @Override
  int[] plainElement(BigInteger encoding) {
    // (1 + m·n) < n² needs no reduction; one step by R² brings it into Montgomery form
    return montgomery().toMontgomery(BigInteger.ONE.add(encoding.multiply(modulus())));
  }

  /** {@code 1 + m·n} as a plain factor, and {@code R²} to bring the chain's product into form. */
  @Override
  void plainEntries(BigInteger encoding, java.util.List<int[]> into) {
    var mont = montgomery();
    into.add(Montgomery.toInts(BigInteger.ONE.add(encoding.multiply(modulus())), mont.length()));
    into.add(mont.rSquared());
  }

  @Override
  BigInteger inverse(BigInteger element) {
    return inverseModNSquared(element);
  }

  /**
   * The published {@code h_s} of a subgroup key; for a standard key this process draws its own,
   * {@code (−x²)^n mod n²}, trusting nobody's base.
   */
  @Override
  BigInteger noiseBase() {
    if (hs != null) {
      return hs;
    }
    BigInteger n = modulus();
    BigInteger x;
    do {
      x = new BigInteger(n.bitLength(), random()).mod(n);
    } while (x.signum() == 0 || !x.gcd(n).equals(BigInteger.ONE));
    return n.subtract(x.multiply(x).mod(n)).modPow(n, nSquared);
  }

  /**
   * {@code c⁻¹ mod n²} by inverting modulo {@code n} and one Newton (Hensel) step: if {@code c·x ≡
   * 1 (mod n)} then {@code y = x·(2 − c·x)} satisfies {@code c·y ≡ 1 (mod n²)}. About 3× faster
   * than {@code modInverse(n²)}.
   */
  BigInteger inverseModNSquared(BigInteger c) {
    BigInteger n = modulus();
    BigInteger x = c.mod(n).modInverse(n);
    return x.multiply(BigInteger.TWO.subtract(c.multiply(x))).mod(nSquared);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaillierPublicKey k
        && k.modulus().equals(modulus())
        && Objects.equals(k.hs, hs);
  }

  @Override
  public int hashCode() {
    return modulus().hashCode();
  }

  @Override
  public String toString() {
    return "PaillierPublicKey["
        + modulusBits()
        + " bits, "
        + variant
        + ", "
        + fingerprintHex()
        + "]";
  }
}

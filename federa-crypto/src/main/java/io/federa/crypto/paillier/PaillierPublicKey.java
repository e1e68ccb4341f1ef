package io.federa.crypto.paillier;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
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
public final class PaillierPublicKey {
  private final BigInteger n;
  private final PaillierParameters.Variant variant;
  private final BigInteger hs;
  private final BigInteger nSquared;
  private final BigInteger maxInt;
  private final boolean testingOnly;
  private final byte[] fingerprint;
  private final Montgomery mont;
  private final int shortExponentBits;
  private volatile EncryptionTable table;

  /**
   * @param hs the randomness base of a {@link PaillierParameters.Variant#SUBGROUP} key, {@code
   *     null} for a standard key
   * @param shortExponentBits bits of the random exponent {@code α}
   */
  PaillierPublicKey(BigInteger n, BigInteger hs, int shortExponentBits, boolean testingOnly) {
    this.n = Objects.requireNonNull(n, "n");
    this.hs = hs;
    this.variant =
        hs == null ? PaillierParameters.Variant.STANDARD : PaillierParameters.Variant.SUBGROUP;
    this.nSquared = n.multiply(n);
    this.maxInt = n.divide(BigInteger.valueOf(3)).subtract(BigInteger.ONE);
    this.testingOnly = testingOnly;
    this.fingerprint = fingerprintOf(n, hs);
    this.mont = new Montgomery(nSquared);
    this.shortExponentBits = shortExponentBits;
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
    PaillierParameters params = checkModulus(n, testingOnly);
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

  private static PaillierParameters checkModulus(BigInteger n, boolean testingOnly) {
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "a Paillier modulus must be odd and positive; the key is corrupt");
    }
    PaillierParameters params =
        testingOnly
            ? PaillierParameters.insecureForTesting(roundUp64(n.bitLength()))
            : PaillierParameters.of(roundUp64(n.bitLength()));
    BigInteger root = n.sqrt();
    if (root.multiply(root).equals(n)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the Paillier modulus is a square, not p·q; the key is corrupt");
    }
    return params;
  }

  private static int roundUp64(int bits) {
    return (bits + 63) / 64 * 64;
  }

  private static byte[] fingerprintOf(BigInteger n, BigInteger hs) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("federa-paillier-v1".getBytes(StandardCharsets.US_ASCII));
      sha.update(n.toByteArray());
      if (hs != null) {
        sha.update(hs.toByteArray());
      }
      byte[] digest = sha.digest();
      byte[] out = new byte[8];
      System.arraycopy(digest, 0, out, 0, 8);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The modulus {@code n}. */
  public BigInteger modulus() {
    return n;
  }

  public int modulusBits() {
    return n.bitLength();
  }

  public PaillierParameters.Variant variant() {
    return variant;
  }

  /** The randomness base {@code h_s} of a subgroup key, or {@code null} for a standard key. */
  BigInteger randomnessBase() {
    return hs;
  }

  /** Bytes of a ciphertext element on the wire: its Montgomery form in whole 32-bit words. */
  public int ciphertextBytes() {
    return 4 * mont.length();
  }

  public boolean testingOnly() {
    return testingOnly;
  }

  /** First 8 bytes of SHA-256 over the modulus: names the key in messages and on the wire. */
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  public String fingerprintHex() {
    return HexFormat.of().formatHex(fingerprint);
  }

  BigInteger nSquared() {
    return nSquared;
  }

  /** Largest magnitude a signed plaintext may have: {@code ⌊n/3⌋ − 1}; beyond it is overflow. */
  BigInteger maxInt() {
    return maxInt;
  }

  Montgomery montgomery() {
    return mont;
  }

  /** Encrypts a fixed-point encoded number. */
  public Ciphertext encrypt(EncodedNumber plaintext) {
    requireSameKey(plaintext.publicKey());
    return new Ciphertext(
        this, encryptIntoMontgomery(plaintext.encoding()), plaintext.exponent(), plaintext.bound());
  }

  /**
   * Encrypts a raw non-negative integer below {@code n} (for packed plaintexts); the result carries
   * no overflow bound, so the caller (for example {@link PackingScheme}) is responsible for it.
   */
  public Ciphertext encryptRaw(BigInteger plaintext) {
    if (plaintext.signum() < 0 || plaintext.compareTo(n) >= 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a raw Paillier plaintext must lie in [0, n); encode signed or fractional values with a"
              + " FixedPointEncoder");
    }
    return new Ciphertext(this, encryptIntoMontgomery(plaintext), 0, Ciphertext.RAW);
  }

  /** {@code (1 + m·n)·h_s^α} in Montgomery form. */
  int[] encryptIntoMontgomery(BigInteger m) {
    int[] noise = table().randomNoise();
    if (m.signum() == 0) {
      return noise;
    }
    // (1 + m·n) < n² needs no reduction; one step by R² brings it into Montgomery form
    int[] gm = mont.toMontgomery(BigInteger.ONE.add(m.multiply(n)));
    return mont.mulInto(noise, gm, noise);
  }

  /** Fresh {@code h_s^α} in Montgomery form: multiplying by it re-randomises a ciphertext. */
  int[] randomNoise() {
    return table().randomNoise();
  }

  /** {@code (1 + m·n)·noise} in Montgomery form; {@code noise} is consumed. */
  int[] withNoise(BigInteger m, int[] noise) {
    if (m.signum() == 0) {
      return noise;
    }
    int[] gm = mont.toMontgomery(BigInteger.ONE.add(m.multiply(n)));
    return mont.mulInto(noise, gm, noise);
  }

  /** Encryptions in one call from which a larger fixed-base table pays for itself. */
  static final int BULK_ENCRYPTIONS = 20_000;

  /**
   * Before encrypting {@code count} values in one go: with a subgroup key of up to 2048 bits, a
   * table of 12-bit windows (about 80 MB, built once per key and process in ~0.6 s) makes each
   * encryption 39 multiplications instead of 46, which repays its construction within ~20,000
   * encryptions (a 30,000-row hetero LR epoch).
   */
  void prepareForBulk(int count) {
    if (count < BULK_ENCRYPTIONS || modulusBits() > 2048 || shortExponentBits > 512) {
      return;
    }
    EncryptionTable t = table;
    if (t != null && t.window() >= EncryptionTable.BULK_WINDOW) {
      return;
    }
    synchronized (this) {
      if (table == null || table.window() < EncryptionTable.BULK_WINDOW) {
        table = new EncryptionTable(this, new SecureRandom(), EncryptionTable.BULK_WINDOW);
      }
    }
  }

  /** The window of the encryption table in use (for tests). */
  int tableWindow() {
    return table().window();
  }

  private EncryptionTable table() {
    EncryptionTable t = table;
    if (t == null) {
      synchronized (this) {
        t = table;
        if (t == null) {
          t = new EncryptionTable(this, new SecureRandom());
          table = t;
        }
      }
    }
    return t;
  }

  /**
   * {@code c⁻¹ mod n²} by inverting modulo {@code n} and one Newton (Hensel) step: if {@code c·x ≡
   * 1 (mod n)} then {@code y = x·(2 − c·x)} satisfies {@code c·y ≡ 1 (mod n²)}. About 3× faster
   * than {@code modInverse(n²)}.
   */
  BigInteger inverseModNSquared(BigInteger c) {
    BigInteger x = c.mod(n).modInverse(n);
    return x.multiply(BigInteger.TWO.subtract(c.multiply(x))).mod(nSquared);
  }

  int shortExponentBits() {
    return shortExponentBits;
  }

  void requireSameKey(PaillierPublicKey other) {
    if (other != this && !equals(other)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "values under two different Paillier keys ("
              + fingerprintHex()
              + " and "
              + other.fingerprintHex()
              + ") cannot be combined; use the job's one key");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaillierPublicKey k && k.n.equals(n) && Objects.equals(k.hs, hs);
  }

  @Override
  public int hashCode() {
    return n.hashCode();
  }

  @Override
  public String toString() {
    return "PaillierPublicKey["
        + n.bitLength()
        + " bits, "
        + variant
        + ", "
        + fingerprintHex()
        + "]";
  }
}

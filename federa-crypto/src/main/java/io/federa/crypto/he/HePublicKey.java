package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The public key of an additively homomorphic scheme — {@link PaillierPublicKey} or {@link
 * OuPublicKey}. The key is the type: a {@link Ciphertext} knows its key, values under two keys are
 * never combined, and the key owns its ciphertexts' arithmetic (all in Montgomery form modulo the
 * ciphertext modulus, see {@link Montgomery}). Both schemes encrypt as {@code plain(m) · noise},
 * where {@code noise} is a power of a fixed base with a short random exponent read from a
 * fixed-base table, and both share the plaintext discipline: a signed fixed-point integer {@code
 * |m| ≤ maxInt} (negatives as {@code n − |m|}, see {@link EncodedNumber}), a public bound carried
 * through every operation, and overflow refused, never silent.
 */
public abstract sealed class HePublicKey permits PaillierPublicKey, OuPublicKey {
  private final BigInteger n;
  private final BigInteger maxInt;
  private final boolean testingOnly;
  private final byte[] fingerprint;
  private final Montgomery mont;
  private final int shortExponentBits;
  private final SecureRandom random = new SecureRandom();
  private volatile EncryptionTable table;

  /**
   * @param n the public modulus
   * @param ciphertextModulus the modulus of the ciphertext group ({@code n²} or {@code n})
   * @param maxInt the largest magnitude of a signed plaintext
   * @param shortExponentBits bits of the noise exponent
   * @param fingerprintParts the integers that name the key, after {@code n}
   */
  HePublicKey(
      String domain,
      BigInteger n,
      BigInteger ciphertextModulus,
      BigInteger maxInt,
      int shortExponentBits,
      boolean testingOnly,
      BigInteger... fingerprintParts) {
    this.n = n;
    this.maxInt = maxInt;
    this.testingOnly = testingOnly;
    this.mont = new Montgomery(ciphertextModulus);
    this.shortExponentBits = shortExponentBits;
    this.fingerprint = fingerprintOf(domain, n, fingerprintParts);
  }

  private static byte[] fingerprintOf(String domain, BigInteger n, BigInteger... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(domain.getBytes(StandardCharsets.US_ASCII));
      sha.update(n.toByteArray());
      for (BigInteger part : parts) {
        if (part != null) {
          sha.update(part.toByteArray());
        }
      }
      byte[] out = new byte[8];
      System.arraycopy(sha.digest(), 0, out, 0, 8);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Which scheme this key belongs to. */
  public abstract HeScheme scheme();

  /** The public modulus {@code n}. */
  public BigInteger modulus() {
    return n;
  }

  public int modulusBits() {
    return n.bitLength();
  }

  /** Bytes of a ciphertext element on the wire: its Montgomery form in whole 32-bit words. */
  public int ciphertextBytes() {
    return 4 * mont.length();
  }

  public boolean testingOnly() {
    return testingOnly;
  }

  /** First 8 bytes of SHA-256 over the key: names the key in messages and on the wire. */
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  public String fingerprintHex() {
    return HexFormat.of().formatHex(fingerprint);
  }

  /** Largest magnitude a signed plaintext may have; beyond it is overflow. */
  BigInteger maxInt() {
    return maxInt;
  }

  /**
   * Bits of a raw (packed) plaintext: every integer below {@code 2^rawPlaintextBits()} decrypts to
   * itself.
   */
  public abstract int rawPlaintextBits();

  Montgomery montgomery() {
    return mont;
  }

  int shortExponentBits() {
    return shortExponentBits;
  }

  SecureRandom random() {
    return random;
  }

  /** The ciphertext of encoding {@code e ∈ [0, n)} without randomness, in Montgomery form. */
  abstract int[] plainElement(BigInteger encoding);

  /**
   * Values whose {@link Montgomery#chainProducts chain product} is {@link #plainElement}{@code
   * (encoding)} (together with whatever else the chain holds): table entries, or a plain factor and
   * {@code R²}.
   */
  abstract void plainEntries(BigInteger encoding, java.util.List<int[]> into);

  /** {@code c⁻¹} in the ciphertext group (the ciphertext of the negated plaintext). */
  abstract BigInteger inverse(BigInteger element);

  /** The base whose powers are the encryption noise (drawn here for keys without a public one). */
  abstract BigInteger noiseBase();

  /** Encrypts a fixed-point encoded number. */
  public Ciphertext encrypt(EncodedNumber plaintext) {
    requireSameKey(plaintext.publicKey());
    return new Ciphertext(
        this, encryptIntoMontgomery(plaintext.encoding()), plaintext.exponent(), plaintext.bound());
  }

  /**
   * Encrypts fixed-point encoded numbers in one batch: their noise (and OU's {@code G^m}) as chains
   * of table entries, eight at a time on the native kernel where there is one.
   */
  public Ciphertext[] encrypt(EncodedNumber[] plaintexts) {
    return encrypt(plaintexts, randomExponents(plaintexts.length));
  }

  /**
   * Encrypts with the given noise exponents: the same randomness gives the same ciphertexts on the
   * native and the Java path (for the tests that check it).
   */
  Ciphertext[] encrypt(EncodedNumber[] plaintexts, BigInteger[] noiseExponents) {
    BigInteger[] encodings = new BigInteger[plaintexts.length];
    for (int k = 0; k < plaintexts.length; k++) {
      requireSameKey(plaintexts[k].publicKey());
      encodings[k] = plaintexts[k].encoding();
    }
    int[][] values = encryptIntoMontgomery(encodings, null, noiseExponents);
    Ciphertext[] out = new Ciphertext[plaintexts.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = new Ciphertext(this, values[k], plaintexts[k].exponent(), plaintexts[k].bound());
    }
    return out;
  }

  /**
   * {@code plain(m_k) · noise_k} in Montgomery form for each encoding: the given noise (consumed),
   * or with {@code noise} null fresh noise drawn in a batch.
   */
  int[][] encryptIntoMontgomery(BigInteger[] encodings, int[][] noise) {
    return encryptIntoMontgomery(
        encodings, noise, noise == null ? randomExponents(encodings.length) : null);
  }

  /** As above, fresh noise made from the exponents {@code r} when {@code noise} is null. */
  private int[][] encryptIntoMontgomery(BigInteger[] encodings, int[][] noise, BigInteger[] r) {
    java.util.List<int[]> entries = new java.util.ArrayList<>();
    int[] lengths = new int[encodings.length];
    for (int k = 0; k < encodings.length; k++) {
      int before = entries.size();
      plainEntries(encodings[k], entries);
      if (noise == null) {
        table().entries(r[k], entries);
      } else {
        entries.add(noise[k]);
      }
      if (entries.size() == before) {
        entries.add(mont.one()); // no factor at all: m = 0 and r = 0
      }
      lengths[k] = entries.size() - before;
    }
    return mont.chainProducts(entries.toArray(new int[0][]), lengths);
  }

  /**
   * Encrypts a raw non-negative integer below {@code 2^rawPlaintextBits()} (for packed plaintexts);
   * the result carries no overflow bound, so the caller (for example {@link PackingScheme}) is
   * responsible for it.
   */
  public Ciphertext encryptRaw(BigInteger plaintext) {
    requireRaw(plaintext);
    return new Ciphertext(this, encryptIntoMontgomery(plaintext), 0, Ciphertext.RAW);
  }

  void requireRaw(BigInteger plaintext) {
    if (plaintext.signum() < 0 || plaintext.compareTo(rawLimit()) >= 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a raw plaintext must lie in [0, "
              + (rawLimit().equals(modulus()) ? "n" : "2^" + rawPlaintextBits())
              + "); encode signed or fractional values with a FixedPointEncoder");
    }
  }

  /** Raw plaintexts lie below this: {@code 2^rawPlaintextBits()} unless a scheme allows more. */
  BigInteger rawLimit() {
    return BigInteger.ONE.shiftLeft(rawPlaintextBits());
  }

  /** {@code plain(m) · noise} in Montgomery form. */
  int[] encryptIntoMontgomery(BigInteger m) {
    return withNoise(m, randomNoise());
  }

  /** Fresh noise in Montgomery form: multiplying by it re-randomises a ciphertext. */
  int[] randomNoise() {
    return table().pow(new BigInteger(shortExponentBits, random));
  }

  /** {@code count} fresh noises in one batch (the native kernel computes eight at once). */
  int[][] randomNoises(int count) {
    return table().pows(randomExponents(count));
  }

  /** {@code count} fresh noise exponents. */
  BigInteger[] randomExponents(int count) {
    BigInteger[] exponents = new BigInteger[count];
    for (int k = 0; k < count; k++) {
      exponents[k] = new BigInteger(shortExponentBits, random);
    }
    return exponents;
  }

  /** {@code plain(m) · noise} in Montgomery form; {@code noise} is consumed. */
  int[] withNoise(BigInteger m, int[] noise) {
    if (m.signum() == 0) {
      return noise;
    }
    return mont.mulInto(noise, plainElement(m), noise);
  }

  /** Encryptions in one call from which a larger fixed-base table pays for itself. */
  static final int BULK_ENCRYPTIONS = 20_000;

  /**
   * Before encrypting {@code count} values in one go: with a short exponent of at most 512 bits and
   * a modulus of up to 2048 bits, a table of 12-bit windows (about 80 MB for Paillier, built once
   * per key and process in ~0.6 s) makes each noise 38 multiplications instead of 45, which repays
   * its construction within ~20,000 encryptions (a 30,000-row hetero LR epoch).
   */
  void prepareForBulk(int count) {
    if (count < BULK_ENCRYPTIONS || modulusBits() > 2048 || shortExponentBits > 512) {
      return;
    }
    prepareBulkPlaintexts();
    EncryptionTable t = table;
    if (t != null && t.window() >= EncryptionTable.BULK_WINDOW) {
      return;
    }
    synchronized (this) {
      if (table == null || table.window() < EncryptionTable.BULK_WINDOW) {
        table =
            new EncryptionTable(mont, noiseBase(), shortExponentBits, EncryptionTable.BULK_WINDOW);
      }
    }
  }

  /**
   * Before a bulk encryption: a scheme whose plaintexts cost exponentiations widens their table.
   */
  void prepareBulkPlaintexts() {}

  /** The window of the noise table in use (for tests). */
  int tableWindow() {
    return table().window();
  }

  private EncryptionTable table() {
    EncryptionTable t = table;
    if (t == null) {
      synchronized (this) {
        t = table;
        if (t == null) {
          // about 53 MB for 2048-bit Paillier (10-bit windows), 8-bit windows beyond
          int window = modulusBits() <= 2048 ? 10 : 8;
          t = new EncryptionTable(mont, noiseBase(), shortExponentBits, window);
          table = t;
        }
      }
    }
    return t;
  }

  void requireSameKey(HePublicKey other) {
    if (other != this && !equals(other)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "values under two different keys ("
              + fingerprintHex()
              + " and "
              + other.fingerprintHex()
              + ") cannot be combined; use the job's one key");
    }
  }

  static int roundUp64(int bits) {
    return (bits + 63) / 64 * 64;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + modulusBits() + " bits, " + fingerprintHex() + "]";
  }
}

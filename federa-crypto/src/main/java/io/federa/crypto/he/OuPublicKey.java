package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An Okamoto–Uchiyama public key {@code (n, G, H)} with {@code n = p²·q} (T. Okamoto and S.
 * Uchiyama, "A new public-key cryptosystem as secure as factoring", EUROCRYPT 1998), in the
 * accelerated form of Coron, Naccache and Paillier ("Accelerating Okamoto–Uchiyama's public-key
 * cryptosystem", Electronics Letters 1999) that SecretFlow's HEU and FATE 2.x use.
 *
 * <h2>The scheme</h2>
 *
 * <ul>
 *   <li>Keys ({@link OuKeys}): primes {@code p = t·u + 1} and {@code q} of about {@code k/3} bits
 *       each, {@code t} a prime of {@code 2κ} bits (224 at 2048); {@code G = g^u mod n} with {@code
 *       g^(p−1) ≢ 1 (mod p²)}, and {@code H = g'^(n·u) mod n}, whose order modulo {@code p} divides
 *       {@code t}.
 *   <li>Encryption: {@code c = G^m · H^r mod n} with {@code r} of {@code 2κ} bits; both powers come
 *       from fixed-base tables ({@link EncryptionTable}), and a negative {@code m} is a power of
 *       {@code G⁻¹}.
 *   <li>Decryption ({@link OuPrivateKey}): {@code m = L(c^t mod p²) · L(G^t mod p²)⁻¹ mod p} with
 *       {@code L(x) = (x − 1)/p}: one exponentiation by a 224-bit {@code t} modulo {@code p²}.
 *   <li>Ciphertexts are elements of {@code Z*_n}: half the size of Paillier's, and each homomorphic
 *       operation is a multiplication modulo {@code n} instead of {@code n²}.
 * </ul>
 *
 * <h2>Plaintexts</h2>
 *
 * The plaintext space is {@code Z_p} with {@code p} secret; the public key only knows its size. Raw
 * (packed) plaintexts have {@code bits(p) − 1} bits (682 at 2048). A signed plaintext is held to
 * {@code |m| < 2^⌊(bits(p) − 1)/2⌋} (341 bits at 2048): decryption refuses anything outside this
 * band. The band is the defence against the scheme's known chosen-ciphertext weakness — a party
 * that could have {@code E(M)} for some {@code M ≥ p} decrypted and returned would learn {@code M
 * mod p}, hence {@code p}; such an {@code M mod p} falls in the band with probability about {@code
 * 2^−341}, and is otherwise refused, not returned.
 *
 * <h2>Security</h2>
 *
 * One-wayness is equivalent to factoring {@code n = p²q}; semantic security (IND-CPA) rests on the
 * {@code p}-subgroup assumption (Okamoto–Uchiyama 1998), with a short-exponent assumption for
 * {@code r}: the best generic attacks on a {@code b}-bit exponent (baby-step giant-step, Pollard's
 * lambda) take {@code 2^(b/2)} steps, so {@code r} has {@code 2κ} bits (224 at 2048), the rule of
 * van Oorschot and Wiener (EUROCRYPT 1996). HEU draws 110-bit exponents at 2048 bits (a {@code
 * 2^55} search) and reuses them across encryptions; Federa does neither. No factoring method is
 * known to exploit the square factor at these sizes (the lattice methods for {@code p^r·q} need
 * large {@code r}; ECM does not reach 683-bit factors), so 2048 bits is taken as κ = 112 — the same
 * size FATE and HEU use. Like Paillier it is malleable (not CCA-secure): messages are authenticated
 * by the federation, and decryptions are released only as protocols say.
 */
public final class OuPublicKey extends HePublicKey {
  private final BigInteger g;
  private final BigInteger h;
  private final int plaintextBits;
  private volatile EncryptionTable[] plainTables;

  OuPublicKey(BigInteger n, BigInteger g, BigInteger h, int securityBits, boolean testingOnly) {
    super(
        "federa-ou-v1",
        n,
        n,
        BigInteger.ONE.shiftLeft((primeBits(n) - 1) / 2).subtract(BigInteger.ONE),
        2 * securityBits,
        testingOnly,
        g,
        h);
    this.g = g;
    this.h = h;
    this.plaintextBits = primeBits(n) - 1;
  }

  /** Bits of {@code p}: {@code ⌈bits(n)/3⌉}, which {@link OuKeys} guarantees. */
  static int primeBits(BigInteger n) {
    return (n.bitLength() + 2) / 3;
  }

  /**
   * A public key received from elsewhere: refuses a modulus under 2048 bits (unless {@code
   * testingOnly}), an even one, and bases that are not units other than ±1.
   */
  static OuPublicKey fromParts(BigInteger n, BigInteger g, BigInteger h, boolean testingOnly) {
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw corrupt("the modulus must be odd and positive");
    }
    int bits = roundUp64(n.bitLength());
    HeParameters params =
        testingOnly ? HeParameters.insecureForTesting(bits) : HeParameters.of(bits);
    for (BigInteger base : new BigInteger[] {g, h}) {
      if (base.compareTo(BigInteger.ONE) <= 0
          || base.compareTo(n.subtract(BigInteger.ONE)) >= 0
          || !base.gcd(n).equals(BigInteger.ONE)) {
        throw corrupt("a base G or H is not a usable element of Z*_n");
      }
    }
    return new OuPublicKey(n, g, h, params.securityBits(), testingOnly);
  }

  private static FederaException corrupt(String why) {
    return new FederaException(
        ErrorCode.INVALID_INPUT,
        "OU public key refused: " + why + "; the key is corrupt: ask its owner for it again");
  }

  @Override
  public HeScheme scheme() {
    return HeScheme.OU;
  }

  @Override
  public int rawPlaintextBits() {
    return plaintextBits;
  }

  BigInteger g() {
    return g;
  }

  BigInteger h() {
    return h;
  }

  /**
   * {@code G^m} for a non-negative {@code m} below {@code 2^rawPlaintextBits}, else {@code (G⁻¹)^(n
   * − m)} for the encoding {@code n − |m|} of a negative number.
   */
  @Override
  int[] plainElement(BigInteger encoding) {
    EncryptionTable[] tables = plainTables();
    if (encoding.bitLength() <= plaintextBits) {
      return tables[0].pow(encoding);
    }
    return tables[1].pow(negativeMagnitude(encoding));
  }

  /** {@code m}'s digits' entries in G's table, or {@code |m|}'s in G⁻¹'s for a negative one. */
  @Override
  void plainEntries(BigInteger encoding, java.util.List<int[]> into) {
    EncryptionTable[] tables = plainTables();
    if (encoding.bitLength() <= plaintextBits) {
      tables[0].entries(encoding, into);
      return;
    }
    tables[1].entries(negativeMagnitude(encoding), into);
  }

  private BigInteger negativeMagnitude(BigInteger encoding) {
    BigInteger magnitude = modulus().subtract(encoding);
    if (magnitude.signum() <= 0 || magnitude.compareTo(maxInt()) > 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "the integer does not fit the OU key's plaintext space");
    }
    return magnitude;
  }

  private EncryptionTable[] plainTables() {
    EncryptionTable[] t = plainTables;
    if (t == null) {
      synchronized (this) {
        t = plainTables;
        if (t == null) {
          // 8-bit windows: about 5.5 MB for G (682 bits) and 2.8 MB for G⁻¹ at 2048 bits
          t =
              new EncryptionTable[] {
                new EncryptionTable(montgomery(), g, plaintextBits, 8),
                new EncryptionTable(montgomery(), g.modInverse(modulus()), maxInt().bitLength(), 8)
              };
          plainTables = t;
        }
      }
    }
    return t;
  }

  /**
   * Before a bulk encryption (≥ 20,000 values, SecureBoost's packed rows): G's table in 12-bit
   * windows (about 60 MB at 2048 bits, ~0.4 s once per key and process), so a 189-bit packed row
   * costs 16 multiplications for {@code G^m} instead of 24.
   */
  @Override
  void prepareBulkPlaintexts() {
    EncryptionTable[] t = plainTables();
    if (t[0].window() >= EncryptionTable.BULK_WINDOW || modulusBits() > 2048) {
      return;
    }
    synchronized (this) {
      if (plainTables[0].window() < EncryptionTable.BULK_WINDOW) {
        plainTables =
            new EncryptionTable[] {
              new EncryptionTable(montgomery(), g, plaintextBits, EncryptionTable.BULK_WINDOW),
              plainTables[1]
            };
      }
    }
  }

  @Override
  BigInteger inverse(BigInteger element) {
    return element.modInverse(modulus());
  }

  @Override
  BigInteger noiseBase() {
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OuPublicKey k
        && k.modulus().equals(modulus())
        && k.g.equals(g)
        && Objects.equals(k.h, h);
  }

  @Override
  public int hashCode() {
    return modulus().hashCode();
  }
}

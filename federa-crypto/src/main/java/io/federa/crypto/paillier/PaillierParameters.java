package io.federa.crypto.paillier;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;

/**
 * Validated parameters of a Paillier key. A modulus under 2048 bits gives less than 112-bit
 * security (NIST SP 800-57 part 1, table 2) and is refused unless asked for by name, for tests
 * only, through {@link #insecureForTesting(int)}.
 */
public final class PaillierParameters {
  /** The smallest modulus accepted outside tests. */
  public static final int MIN_SECURE_BITS = 2048;

  private static final int MIN_TEST_BITS = 256;

  private final int modulusBits;
  private final boolean testingOnly;

  private PaillierParameters(int modulusBits, boolean testingOnly) {
    this.modulusBits = modulusBits;
    this.testingOnly = testingOnly;
  }

  /** 2048-bit modulus, the default. */
  public static PaillierParameters defaults() {
    return of(MIN_SECURE_BITS);
  }

  /** A modulus of {@code bits} bits: 2048, 3072, 4096 (any multiple of 64 from 2048 up to 8192). */
  public static PaillierParameters of(int bits) {
    if (bits < MIN_SECURE_BITS) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a "
              + bits
              + "-bit Paillier key has under 112-bit security; use at least "
              + MIN_SECURE_BITS
              + " bits (set key_length to 2048)");
    }
    checkShape(bits);
    return new PaillierParameters(bits, false);
  }

  /**
   * A small key that makes tests fast. Never use it for data: the name says so, and {@link
   * #testingOnly()} is carried by every key made from it.
   */
  public static PaillierParameters insecureForTesting(int bits) {
    if (bits < MIN_TEST_BITS) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "even test keys need at least " + MIN_TEST_BITS + " bits, got " + bits);
    }
    checkShape(bits);
    return new PaillierParameters(bits, true);
  }

  private static void checkShape(int bits) {
    if (bits % 64 != 0 || bits > 8192) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a Paillier modulus must be a multiple of 64 bits up to 8192, got " + bits);
    }
  }

  public int modulusBits() {
    return modulusBits;
  }

  public boolean testingOnly() {
    return testingOnly;
  }

  @Override
  public String toString() {
    return "PaillierParameters["
        + modulusBits
        + " bits"
        + (testingOnly ? ", TESTING ONLY" : "")
        + "]";
  }
}

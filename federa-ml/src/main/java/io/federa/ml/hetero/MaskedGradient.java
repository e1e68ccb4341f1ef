package io.federa.ml.hetero;

import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.EncodedNumber;
import io.federa.crypto.he.FixedPointEncoder;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * A party's encrypted gradient, masked before the arbiter decrypts it: {@code [[g + r]]} with
 * {@code r} uniform over 80 bits more than the public bound of {@code g}, so the arbiter's view
 * {@code g + r} is statistically independent of {@code g} (2^-80). The party removes {@code r}
 * exactly, in integers.
 */
final class MaskedGradient {
  private static final int STATISTICAL_BITS = 80;

  private final BigInteger[] masks;
  private final int[] exponents;
  private final Ciphertext[] masked;

  private MaskedGradient(BigInteger[] masks, int[] exponents, Ciphertext[] masked) {
    this.masks = masks;
    this.exponents = exponents;
    this.masked = masked;
  }

  static MaskedGradient of(Ciphertext[] gradient, SecureRandom random) {
    BigInteger[] masks = new BigInteger[gradient.length];
    int[] exponents = new int[gradient.length];
    Ciphertext[] masked = new Ciphertext[gradient.length];
    for (int j = 0; j < gradient.length; j++) {
      Ciphertext g = gradient[j];
      int bits = (int) Math.ceil(g.bound()) + STATISTICAL_BITS;
      masks[j] = new BigInteger(bits, random);
      exponents[j] = g.exponent();
      masked[j] =
          g.addPlain(EncodedNumber.ofSigned(g.publicKey(), masks[j], g.exponent(), bits))
              .rerandomize();
    }
    return new MaskedGradient(masks, exponents, masked);
  }

  Ciphertext[] masked() {
    return masked;
  }

  /** The gradient from the arbiter's decryptions of the masked values. */
  double[] unmask(BigInteger[] decrypted) {
    double[] g = new double[masks.length];
    for (int j = 0; j < g.length; j++) {
      g[j] = FixedPointEncoder.decode(decrypted[j].subtract(masks[j]), exponents[j]);
    }
    return g;
  }
}

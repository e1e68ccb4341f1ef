package io.federa.crypto.he;

import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;

/**
 * The private key of an additively homomorphic scheme — {@link PaillierPrivateKey} or {@link
 * OuPrivateKey}. It decrypts to the signed fixed-point number (refusing the overflow band) or, for
 * packed values, to the raw plaintext integer; it never prints itself.
 */
public abstract sealed class HePrivateKey permits PaillierPrivateKey, OuPrivateKey {
  public abstract HePublicKey publicKey();

  /** Decrypts to the fixed-point number (checks the overflow band). */
  public EncodedNumber decryptEncoded(Ciphertext c) {
    BigInteger signed = signed(decryptRaw(c));
    HePublicKey key = publicKey();
    return new EncodedNumber(key, signed.mod(key.modulus()), c.exponent(), Math.max(c.bound(), 0));
  }

  /** Decrypts to a double. */
  public double decrypt(Ciphertext c) {
    return FixedPointEncoder.decode(signed(decryptRaw(c)), c.exponent());
  }

  /**
   * Decrypts to the plaintext integer in {@code [0, P)}, {@code P} the plaintext modulus ({@code n}
   * for Paillier, {@code p} for OU): packed values below {@code 2^rawPlaintextBits} decrypt to
   * themselves.
   */
  public BigInteger decryptRaw(Ciphertext c) {
    publicKey().requireSameKey(c.publicKey());
    return decryptElement(c.element());
  }

  abstract BigInteger decryptElement(BigInteger c);

  /**
   * Decrypts many ciphertexts to doubles in one batch: the exponentiations run eight at a time on
   * the native kernel, in constant time in the key (see the package documentation), where it is in
   * use; else one at a time, to the same numbers.
   */
  public double[] decrypt(Ciphertext[] cs) {
    BigInteger[] raw = decryptRaw(cs);
    double[] out = new double[cs.length];
    for (int k = 0; k < cs.length; k++) {
      out[k] = FixedPointEncoder.decode(signed(raw[k]), cs[k].exponent());
    }
    return out;
  }

  /** {@link #decryptEncoded(Ciphertext)} of many ciphertexts in one batch. */
  public EncodedNumber[] decryptEncoded(Ciphertext[] cs) {
    BigInteger[] raw = decryptRaw(cs);
    HePublicKey key = publicKey();
    EncodedNumber[] out = new EncodedNumber[cs.length];
    for (int k = 0; k < cs.length; k++) {
      BigInteger signed = signed(raw[k]);
      out[k] =
          new EncodedNumber(
              key, signed.mod(key.modulus()), cs[k].exponent(), Math.max(cs[k].bound(), 0));
    }
    return out;
  }

  /** {@link #decryptRaw(Ciphertext)} of many ciphertexts in one batch. */
  public BigInteger[] decryptRaw(Ciphertext[] cs) {
    BigInteger[] elements = new BigInteger[cs.length];
    for (int k = 0; k < cs.length; k++) {
      publicKey().requireSameKey(cs[k].publicKey());
      elements[k] = cs[k].element();
    }
    return decryptElements(elements);
  }

  /** {@link #decryptElement} of each element, its exponentiations in one batch. */
  abstract BigInteger[] decryptElements(BigInteger[] c);

  /** {@code (c_k mod m)^e mod m} for each {@code k}, as one batch of {@link Montgomery#powers}. */
  static BigInteger[] powers(Montgomery m, BigInteger[] c, BigInteger e) {
    int[][] bases = new int[c.length][];
    BigInteger[] exponents = new BigInteger[c.length];
    for (int k = 0; k < c.length; k++) {
      bases[k] = m.toMontgomery(c[k]);
      exponents[k] = e;
    }
    int[][] powers = m.powers(bases, exponents);
    BigInteger[] out = new BigInteger[c.length];
    for (int k = 0; k < c.length; k++) {
      out[k] = m.toBig(powers[k]);
    }
    return out;
  }

  /** The signed integer of a decrypted plaintext; the overflow band is refused. */
  abstract BigInteger signed(BigInteger plaintext);

  /** The secret integers, for the key's owner to store ({@link HeKeyCodec}). */
  public abstract BigInteger[] primes();

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "<redacted>";
  }
}

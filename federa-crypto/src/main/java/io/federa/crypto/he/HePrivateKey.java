package io.federa.crypto.he;

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

  /** The signed integer of a decrypted plaintext; the overflow band is refused. */
  abstract BigInteger signed(BigInteger plaintext);

  /** The secret integers, for the key's owner to store ({@link HeKeyCodec}). */
  public abstract BigInteger[] primes();

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "<redacted>";
  }
}

package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Locale;

/** The additively homomorphic schemes a job can choose ({@code encrypt_param.method}). */
public enum HeScheme {
  /**
   * Paillier (1999), with the Ma–Han–Lei subgroup keys by default: see {@link PaillierPublicKey}.
   */
  PAILLIER("paillier"),
  /**
   * Okamoto–Uchiyama (1998), with the Coron–Naccache–Paillier acceleration: see {@link
   * OuPublicKey}. Half-size ciphertexts and a third of the plaintext space.
   */
  OU("ou");

  private final String fateName;

  HeScheme(String fateName) {
    this.fateName = fateName;
  }

  /** The name FATE's {@code encrypt_param.method} uses. */
  public String fateName() {
    return fateName;
  }

  /** The scheme of a FATE method name (case-insensitive). */
  public static HeScheme fromName(String name) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    for (HeScheme s : values()) {
      if (s.fateName.equals(lower)) {
        return s;
      }
    }
    throw new FederaException(
        ErrorCode.INVALID_ARGUMENT,
        "encryption method '" + name + "' is not supported: use 'paillier' or 'ou'");
  }
}

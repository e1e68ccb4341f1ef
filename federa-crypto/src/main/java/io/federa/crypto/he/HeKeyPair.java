package io.federa.crypto.he;

import java.security.SecureRandom;
import java.util.Objects;

/** A key pair of an additively homomorphic scheme; {@link #generate} makes one. */
public record HeKeyPair(HePublicKey publicKey, HePrivateKey privateKey) {
  public HeKeyPair {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  public static HeKeyPair generate(HeParameters params) {
    return generate(params, new SecureRandom());
  }

  /** A fresh key pair of the parameters' scheme, size and variant. */
  public static HeKeyPair generate(HeParameters params, SecureRandom random) {
    return switch (params.scheme()) {
      case PAILLIER -> PaillierKeys.generate(params, random);
      case OU -> OuKeys.generate(params, random);
    };
  }
}

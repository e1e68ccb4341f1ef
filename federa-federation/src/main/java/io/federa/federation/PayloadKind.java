package io.federa.federation;

/**
 * What a message carries, as its sender declares it; the receiver's node records it in the job's
 * transcript ({@code federa audit}), so "what each party learns" can be checked, not only written.
 */
public enum PayloadKind {
  /** Public keys (Paillier, OU). */
  PUBLIC_KEY,
  /**
   * Additively homomorphic ciphertexts (Paillier or Okamoto–Uchiyama): the receiver cannot read
   * them without the private key. Called {@code PAILLIER_CIPHERTEXTS} before OU came, which {@link
   * #of} still reads.
   */
  HE_CIPHERTEXTS,
  /** Elliptic-curve points blinded with a secret scalar (PSI). */
  BLINDED_POINTS,
  /** Plaintexts hidden by a random mask only the sender knows (decrypted for their owner). */
  MASKED_VALUES,
  /** A plaintext aggregate over many rows: a loss, a count, a norm, the set of label values. */
  PLAINTEXT_AGGREGATE,
  /** Per-row partial scores {@code X·w} of a party's features (federated prediction). */
  PARTIAL_SCORES,
  /** Plaintext model parameters or updates (horizontal FL without secure aggregation). */
  MODEL_UPDATE,
  /** The rows of the intersection, told to a party that may learn them. */
  PSI_RESULT,
  /**
   * Which rows are in which tree node, or go which way at a split (SecureBoost's instance space):
   * row indexes of the aligned rows, no feature values.
   */
  INSTANCE_SPACE,
  /** Sizes, flags, agreements: no data. */
  CONTROL,
  /** Sent without a declaration. */
  UNDECLARED;

  /** The kind of a name on the wire or on disk, including the names of earlier versions. */
  public static PayloadKind of(String name) {
    return name.equals("PAILLIER_CIPHERTEXTS") ? HE_CIPHERTEXTS : valueOf(name);
  }
}

package io.federa.federation;

/**
 * What a message carries, as its sender declares it; the receiver's node records it in the job's
 * transcript ({@code federa audit}), so "what each party learns" can be checked, not only written.
 */
public enum PayloadKind {
  /** Public keys (Paillier). */
  PUBLIC_KEY,
  /** Paillier ciphertexts: the receiver cannot read them without the private key. */
  PAILLIER_CIPHERTEXTS,
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
  UNDECLARED
}

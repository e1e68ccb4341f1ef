package io.federa.ml.psi;

/** Who learns what from a private set intersection. */
public enum PsiMode {
  /** Guest and hosts learn the intersection (each its own rows in it), in one agreed order. */
  BOTH,
  /** Only the guest learns the intersection; hosts learn the set sizes only. */
  GUEST_ONLY,
  /** Nobody learns which ids match; guest and hosts learn the intersection's size. */
  CARDINALITY
}

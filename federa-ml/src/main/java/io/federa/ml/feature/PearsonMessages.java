package io.federa.ml.feature;

import io.federa.federation.MessageKey;

/** The messages of hetero Pearson, one typed key each, and its fixed-point precisions. */
final class PearsonMessages {
  /** Fractional bits of the guest's encrypted z-scores. */
  static final int GUEST_BITS = 40;

  /** Fractional bits of the host's z-scores as plaintext scalars. */
  static final int SCALAR_BITS = 30;

  private final MessageKey base;

  PearsonMessages(MessageKey base) {
    this.base = base;
  }

  /** Guest → host: the rows and the guest's column count. */
  MessageKey setup() {
    return base.withTag("setup");
  }

  /** Guest → host: the guest's public key. */
  MessageKey publicKey() {
    return base.withTag("public_key");
  }

  /** Guest → host: the guest's encrypted z-scores, column after column. */
  MessageKey columns() {
    return base.withTag("columns");
  }

  /** Host → guest: every guest × host column pair's encrypted Σ z·w. */
  MessageKey sums() {
    return base.withTag("sums");
  }

  /** Guest → host: the correlation matrix, row by guest column. */
  MessageKey correlations() {
    return base.withTag("correlations");
  }
}

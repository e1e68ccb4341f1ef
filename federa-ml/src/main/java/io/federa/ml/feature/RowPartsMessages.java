package io.federa.ml.feature;

import io.federa.federation.MessageKey;

/** The one message of a row draw: guest → hosts, the rows of each part. */
final class RowPartsMessages {
  private RowPartsMessages() {}

  static MessageKey parts(MessageKey base) {
    return base.withTag("row_parts");
  }
}

package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.MessageKey;
import java.util.List;

/** The messages of hetero feature selection: per federated filter step, indexes of features. */
final class SelectionMessages {
  private SelectionMessages() {}

  /** Host → guest: its binned features still in the selection before step {@code s}. */
  static MessageKey remaining(MessageKey base, int s) {
    return base.withTag("s" + s + "/remaining");
  }

  /** Guest → host: those of them step {@code s} keeps. */
  static MessageKey kept(MessageKey base, int s) {
    return base.withTag("s" + s + "/kept");
  }

  static byte[] indexes(List<Long> values) {
    long[] v = new long[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return BinningMessages.encode(new long[][] {v});
  }

  static long[] indexes(byte[] bytes) {
    long[][] v = BinningMessages.decode(bytes, "feature selection");
    if (v.length != 1) {
      throw new FederaException(
          ErrorCode.PROTOCOL, "a malformed feature selection message arrived");
    }
    for (long i : v[0]) {
      if (i < 0 || i > Integer.MAX_VALUE) {
        throw new FederaException(ErrorCode.PROTOCOL, "a feature index out of range arrived");
      }
    }
    return v[0];
  }
}

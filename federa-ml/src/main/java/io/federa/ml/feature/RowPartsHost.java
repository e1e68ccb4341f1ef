package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import java.time.Duration;

/** A host's side of {@link RowPartsGuest}: the rows of each part, checked against its own. */
public final class RowPartsHost {
  private final Federation federation;
  private final MessageKey key;
  private final int guest;
  private final Duration timeout;

  public RowPartsHost(Federation federation, MessageKey key, int guest, Duration timeout) {
    this.federation = federation;
    this.key = key;
    this.guest = guest;
    this.timeout = timeout;
  }

  /** Each part's rows of this host's {@code rows} aligned rows. */
  public int[][] receive(int rows) {
    long[][] m =
        BinningMessages.decode(
            federation.receive(guest, RowPartsMessages.parts(key), timeout), "row parts");
    if (m.length < 1 || m[0].length != 1 || m[0][0] != rows) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest draws from "
              + (m.length < 1 || m[0].length != 1 ? "?" : m[0][0])
              + " rows but host "
              + federation.self()
              + " has "
              + rows
              + "; both must hold the intersection's rows in the same order");
    }
    int[][] parts = new int[m.length - 1][];
    for (int p = 0; p < parts.length; p++) {
      parts[p] = new int[m[p + 1].length];
      for (int k = 0; k < parts[p].length; k++) {
        long r = m[p + 1][k];
        if (r < 0 || r >= rows) {
          throw new FederaException(ErrorCode.PROTOCOL, "the guest drew row " + r + " of " + rows);
        }
        parts[p][k] = (int) r;
      }
    }
    return parts;
  }
}

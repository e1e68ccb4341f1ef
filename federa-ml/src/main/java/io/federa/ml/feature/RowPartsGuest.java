package io.federa.ml.feature;

import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.util.List;

/**
 * The guest tells every host which of the aligned rows go into each part of a split or sample
 * ({@link RowDraw}), so every party holds the same rows in each part. The hosts learn the parts'
 * rows (instance space), as they must to keep their columns aligned; a stratified draw's parts keep
 * each label's share, which a host could see only as the parts' sizes.
 */
public final class RowPartsGuest {
  private final Federation federation;
  private final MessageKey key;
  private final List<Integer> hosts;

  public RowPartsGuest(Federation federation, MessageKey key, List<Integer> hosts) {
    this.federation = federation;
    this.key = key;
    this.hosts = List.copyOf(hosts);
  }

  public void send(int rows, int[][] parts) {
    long[][] message = new long[parts.length + 1][];
    message[0] = new long[] {rows};
    for (int p = 0; p < parts.length; p++) {
      message[p + 1] = java.util.Arrays.stream(parts[p]).asLongStream().toArray();
    }
    byte[] body = BinningMessages.encode(message);
    for (int host : hosts) {
      federation.send(host, RowPartsMessages.parts(key), body, PayloadKind.INSTANCE_SPACE);
    }
  }
}

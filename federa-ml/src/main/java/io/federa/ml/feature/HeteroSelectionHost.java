package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A host's side of hetero feature selection: its own filters (manual, statistics) on its own
 * columns; at a federated IV filter it tells the guest which of its binned features remain (by
 * index in its binning) and keeps those the guest returns. See {@link HeteroSelectionGuest}.
 */
public final class HeteroSelectionHost {
  private final Federation federation;
  private final MessageKey key;
  private final int guest;
  private final Duration timeout;

  public HeteroSelectionHost(Federation federation, MessageKey key, int guest, Duration timeout) {
    this.federation = federation;
    this.key = key;
    this.guest = guest;
    this.timeout = timeout;
  }

  /**
   * The host's columns kept of {@code columns}.
   *
   * @param binned its binning's features, in the binning's order (their index is their name at the
   *     guest)
   * @param statistics its own columns' statistics
   */
  public List<String> select(
      List<String> columns,
      List<SelectionStep> steps,
      List<String> binned,
      Map<String, Map<String, Double>> statistics) {
    List<String> remaining = new ArrayList<>(columns);
    for (int s = 0; s < steps.size(); s++) {
      SelectionStep step = steps.get(s);
      List<String> local = step.applyLocal(remaining, Map.of(), statistics);
      if (local != null) {
        remaining = local; // a local IV filter keeps everything here: the guest filters its own
        continue;
      }
      List<Long> offered = new ArrayList<>();
      for (String c : remaining) {
        if (binned.contains(c)) {
          offered.add((long) binned.indexOf(c));
        }
      }
      federation.send(
          guest,
          SelectionMessages.remaining(key, s),
          SelectionMessages.indexes(offered),
          PayloadKind.CONTROL);
      long[] kept =
          SelectionMessages.indexes(
              federation.receive(guest, SelectionMessages.kept(key, s), timeout));
      List<String> keep = new ArrayList<>();
      for (long i : kept) {
        if (!offered.contains(i)) {
          throw new FederaException(
              ErrorCode.PROTOCOL, "the guest kept a feature this host did not offer");
        }
        keep.add(binned.get((int) i));
      }
      remaining.removeIf(c -> binned.contains(c) && !keep.contains(c));
    }
    return remaining;
  }
}

package io.federa.ml.feature;

import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest's side of hetero feature selection: it runs the filters in order on its own columns,
 * and at each federated IV filter ranks its columns with every host's remaining binned features
 * (whose IV it holds from the binning, by {@code host_<party>_<index>}), then tells each host which
 * of its features stay. A host learns only which of its own columns it keeps; the guest learns
 * which of a host's binned features its local filters left.
 */
public final class HeteroSelectionGuest {
  private final Federation federation;
  private final MessageKey key;
  private final List<Integer> hosts;
  private final Duration timeout;

  public HeteroSelectionGuest(
      Federation federation, MessageKey key, List<Integer> hosts, Duration timeout) {
    this.federation = federation;
    this.key = key;
    this.hosts = List.copyOf(hosts);
    this.timeout = timeout;
  }

  /**
   * The guest's columns kept of {@code columns}.
   *
   * @param iv IV of the guest's binned columns and of every host's ({@code host_<party>_<i>})
   * @param statistics the guest's own columns' statistics ({@code [column][statistic]})
   */
  public List<String> select(
      List<String> columns,
      List<SelectionStep> steps,
      Map<String, Double> iv,
      Map<String, Map<String, Double>> statistics) {
    List<String> remaining = new ArrayList<>(columns);
    for (int s = 0; s < steps.size(); s++) {
      SelectionStep step = steps.get(s);
      List<String> local = step.applyLocal(remaining, iv, statistics);
      if (local != null) {
        remaining = local;
        continue;
      }
      List<String> pool = new ArrayList<>(remaining);
      Map<Integer, List<String>> hostRemaining = new LinkedHashMap<>();
      for (int host : hosts) {
        long[] indexes =
            SelectionMessages.indexes(
                federation.receive(host, SelectionMessages.remaining(key, s), timeout));
        List<String> names = new ArrayList<>();
        for (long i : indexes) {
          names.add("host_" + host + "_" + i);
        }
        hostRemaining.put(host, names);
        pool.addAll(names);
      }
      List<String> kept = step.keep(pool, iv);
      remaining.retainAll(kept);
      for (int host : hosts) {
        List<Long> keptIndexes = new ArrayList<>();
        for (String name : hostRemaining.get(host)) {
          if (kept.contains(name)) {
            keptIndexes.add(Long.parseLong(name.substring(name.lastIndexOf('_') + 1)));
          }
        }
        federation.send(
            host,
            SelectionMessages.kept(key, s),
            SelectionMessages.indexes(keptIndexes),
            PayloadKind.PLAINTEXT_AGGREGATE);
      }
    }
    return remaining;
  }
}

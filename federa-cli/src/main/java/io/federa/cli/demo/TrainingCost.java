package io.federa.cli.demo;

import io.federa.flow.api.Replies;
import io.federa.flow.node.AuditRow;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job's training component cost, as flow recorded it: the seconds of each iteration (its
 * {@code iteration_seconds} metric, reported by the party that learns the loss) and the payload
 * bytes each party sent in it (summed from every party's audit: what each received, by sender).
 */
public record TrainingCost(List<Double> iterationSeconds, Map<Integer, Long> bytesSent) {
  static TrainingCost of(
      LocalFederation fed,
      int initiator,
      String jobId,
      String component,
      int lossParty,
      Collection<Integer> parties) {
    List<Double> seconds = fed.metric(initiator, jobId, component, "iteration_seconds", lossParty);
    Map<Integer, Long> bytes = new LinkedHashMap<>();
    parties.forEach(p -> bytes.put(p, 0L));
    for (int receiver : parties) {
      var audit =
          fed.api(initiator)
              .get("/jobs/" + jobId + "/audit?party=" + receiver, Replies.Audit.class);
      for (AuditRow row : audit.received()) {
        if (row.component().equals(component)) {
          bytes.merge(row.from(), row.bytes(), Long::sum);
        }
      }
    }
    return new TrainingCost(seconds, bytes);
  }

  /**
   * The median iteration after the first (the first also carries key generation, key exchange or
   * the model's first broadcast); the first alone if there is no other.
   */
  public double medianSeconds() {
    if (iterationSeconds.isEmpty()) {
      return Double.NaN;
    }
    if (iterationSeconds.size() == 1) {
      return iterationSeconds.get(0);
    }
    double[] later =
        iterationSeconds.subList(1, iterationSeconds.size()).stream()
            .mapToDouble(Double::doubleValue)
            .sorted()
            .toArray();
    int m = later.length / 2;
    return later.length % 2 == 1 ? later[m] : (later[m - 1] + later[m]) / 2;
  }

  /** Each party's bytes divided by {@code iterations}. */
  public Map<Integer, Long> bytesPer(int iterations) {
    Map<Integer, Long> per = new LinkedHashMap<>();
    bytesSent.forEach((p, b) -> per.put(p, b / Math.max(1, iterations)));
    return per;
  }
}

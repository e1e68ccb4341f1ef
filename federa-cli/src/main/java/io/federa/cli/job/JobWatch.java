package io.federa.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.NodeApi;
import io.federa.cli.Progress;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows a job through its initiator's API until it ends: prints each component's state as it
 * changes (over all parties) and each new loss value, moves the progress bar, and returns the
 * result with the evaluation's metrics. A failed job is an error naming the party, component and
 * cause.
 */
public final class JobWatch {
  private JobWatch() {}

  /**
   * How a followed job ended: its state, the seconds from submit to its end, the milliseconds to
   * its first component running, the intersection's size (if it had one) and the evaluation.
   */
  public record Outcome(
      String jobId,
      String state,
      double seconds,
      long firstComponentMs,
      Integer intersection,
      Map<String, Double> evaluation) {}

  public static Outcome follow(
      NodeApi api, String jobId, long submittedNanos, PrintWriter out, Progress progress) {
    if (out != null) {
      out.printf("job %s submitted%n", jobId);
      out.flush();
    }
    Map<String, String> componentState = new HashMap<>();
    Set<String> printedLoss = new HashSet<>();
    long firstRunningMs = -1;
    progress.start("job " + jobId, 1000);
    JsonNode job;
    while (true) {
      job = api.get("/jobs/" + jobId);
      Map<String, String[]> byComponent = new LinkedHashMap<>();
      double sum = 0;
      int n = 0;
      for (JsonNode t : job.path("tasks")) {
        String c = t.path("component").asText();
        String s = t.path("state").asText();
        if (firstRunningMs < 0 && !s.equals("waiting")) {
          firstRunningMs = (System.nanoTime() - submittedNanos) / 1_000_000;
        }
        byComponent.computeIfAbsent(c, k -> new String[] {"success"});
        String[] agg = byComponent.get(c);
        agg[0] = worse(agg[0], s);
        sum += t.path("progress").asDouble();
        n++;
      }
      progress.stepTo(n == 0 ? 0 : Math.round(1000 * sum / n));
      JsonNode metrics = api.get("/jobs/" + jobId + "/metrics").path("metrics");
      for (JsonNode m : metrics) {
        if (m.path("name").asText().equals("loss")) {
          String key = m.path("component").asText() + "/" + m.path("step").asInt();
          if (printedLoss.add(key) && out != null) {
            out.printf(
                "  %-22s iteration %3d  loss %.6f%n",
                m.path("component").asText(), m.path("step").asInt(), m.path("value").asDouble());
            progress.extra(
                "loss " + String.format(Locale.ROOT, "%.4f", m.path("value").asDouble()));
          }
        }
      }
      for (var e : byComponent.entrySet()) {
        String s = e.getValue()[0];
        if (!s.equals(componentState.put(e.getKey(), s)) && !s.equals("waiting") && out != null) {
          out.printf("  %-22s %s%n", e.getKey(), s.toLowerCase(Locale.ROOT));
        }
      }
      if (out != null) {
        out.flush();
      }
      String state = job.path("state").asText();
      if (state.equals("success") || state.equals("failed") || state.equals("canceled")) {
        break;
      }
      sleep(250);
    }
    progress.finish();
    if (!job.path("state").asText().equals("success")) {
      throw new FederaException(
          ErrorCode.JOB_FAILED,
          "job "
              + jobId
              + " "
              + job.path("state").asText()
              + ": "
              + job.path("error").asText()
              + "; 'federa logs --job "
              + jobId
              + " --party P' shows a party's log");
    }
    var evaluation = new LinkedHashMap<String, Double>();
    Integer intersection = null;
    for (JsonNode m : api.get("/jobs/" + jobId + "/metrics").path("metrics")) {
      String module = m.path("component").asText();
      if (module.startsWith("evaluation") && m.path("step").asInt() == 0) {
        evaluation.put(m.path("name").asText(), m.path("value").asDouble());
      }
      if (m.path("name").asText().equals("intersect_count")) {
        intersection = m.path("value").asInt();
      }
    }
    return new Outcome(
        jobId,
        job.path("state").asText(),
        (System.nanoTime() - submittedNanos) / 1e9,
        firstRunningMs,
        intersection,
        evaluation);
  }

  /**
   * From the job's creation at the initiator to the first task running at any party, by the
   * initiator's own clock (the time flow itself takes before any work starts).
   */
  public static long firstComponentMs(NodeApi api, String jobId) {
    JsonNode job = api.get("/jobs/" + jobId);
    java.time.Instant created = java.time.Instant.parse(job.path("created_at").asText());
    java.time.Instant first = null;
    for (JsonNode t : job.path("tasks")) {
      if (t.hasNonNull("started_at")) {
        java.time.Instant s = java.time.Instant.parse(t.path("started_at").asText());
        first = first == null || s.isBefore(first) ? s : first;
      }
    }
    return first == null ? -1 : java.time.Duration.between(created, first).toMillis();
  }

  /** The state that says most about a component over its parties. */
  private static String worse(String a, String b) {
    String order = "failed canceled running waiting success";
    return order.indexOf(a) <= order.indexOf(b) ? a : b;
  }

  static void printSummary(Outcome r, PrintWriter out) {
    out.printf(
        "job %s %s in %.1f s (first component running after %s ms)%n",
        r.jobId(), r.state(), r.seconds(), r.firstComponentMs());
    if (!r.evaluation().isEmpty()) {
      List<String> parts = new ArrayList<>();
      r.evaluation().forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.4f", k, v)));
      out.printf("evaluation: %s%n", String.join(", ", parts));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.TIMEOUT, "interrupted", e);
    }
  }
}

package io.federa.flow.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serving's metrics for Prometheus (the node's {@code /metrics}): requests and rows by service and
 * outcome, latency histograms at the guest (whole request) and at hosts (one scoring call), and
 * calls to other parties by party and outcome. One registry per node.
 */
final class ServingMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests =
      Counter.builder()
          .name("federa_serving_requests_total")
          .help("prediction requests by service and outcome (ok, degraded, error)")
          .labelNames("service", "outcome")
          .register(registry);
  private final Counter rows =
      Counter.builder()
          .name("federa_serving_rows_total")
          .help("rows predicted by service")
          .labelNames("service")
          .register(registry);
  private final Histogram latency =
      Histogram.builder()
          .name("federa_serving_latency_seconds")
          .help("a prediction request's time at the guest, by service")
          .labelNames("service")
          .classicOnly()
          .classicUpperBounds(
              0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
          .register(registry);
  private final Counter calls =
      Counter.builder()
          .name("federa_serving_party_calls_total")
          .help("scoring calls to other parties by service, party and outcome")
          .labelNames("service", "party", "outcome")
          .register(registry);
  private final Histogram hostLatency =
      Histogram.builder()
          .name("federa_serving_host_seconds")
          .help("a host's time to answer one scoring call, by service")
          .labelNames("service")
          .classicOnly()
          .classicUpperBounds(0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5)
          .register(registry);

  void request(String service, String outcome, int rowCount, long nanos) {
    requests.labelValues(service, outcome).inc();
    if (!outcome.equals("error")) {
      rows.labelValues(service).inc(rowCount);
    }
    latency.labelValues(service).observe(nanos / 1e9);
  }

  void call(String service, int party, String outcome) {
    calls.labelValues(service, Integer.toString(party), outcome).inc();
  }

  void hostAnswer(String service, long nanos) {
    hostLatency.labelValues(service).observe(nanos / 1e9);
  }

  /**
   * Each service's figures as the board shows them: requests by outcome, rows, and the latency's
   * median and 99th percentile estimated from the histogram's buckets (as Prometheus's {@code
   * histogram_quantile} does: linear within a bucket).
   */
  List<Serving.Figures> figures() {
    Map<String, long[]> counts = new TreeMap<>();
    for (var p : requests.collect().getDataPoints()) {
      long[] c = counts.computeIfAbsent(p.getLabels().get("service"), k -> new long[4]);
      int i = List.of("ok", "degraded", "error").indexOf(p.getLabels().get("outcome"));
      c[i] += (long) p.getValue();
    }
    for (var p : rows.collect().getDataPoints()) {
      counts.computeIfAbsent(p.getLabels().get("service"), k -> new long[4])[3] +=
          (long) p.getValue();
    }
    Map<String, ClassicHistogramBuckets> buckets = new HashMap<>();
    for (var p : latency.collect().getDataPoints()) {
      buckets.put(p.getLabels().get("service"), p.getClassicBuckets());
    }
    List<Serving.Figures> out = new ArrayList<>();
    counts.forEach(
        (service, c) -> {
          var b = buckets.getOrDefault(service, ClassicHistogramBuckets.EMPTY);
          out.add(
              new Serving.Figures(
                  service, c[0], c[1], c[2], c[3], quantile(b, 0.5), quantile(b, 0.99)));
        });
    return out;
  }

  /** The {@code q} quantile in milliseconds (NaN without observations). */
  static double quantile(ClassicHistogramBuckets b, double q) {
    long total = 0;
    for (int i = 0; i < b.size(); i++) {
      total += b.getCount(i);
    }
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < b.size(); i++) {
      long n = b.getCount(i);
      double lower = i == 0 ? 0 : b.getUpperBound(i - 1);
      double upper = b.getUpperBound(i);
      if (seen + n >= rank && n > 0) {
        if (Double.isInfinite(upper)) {
          return lower * 1e3; // past the last finite bound: that bound, as Prometheus does
        }
        return (lower + (upper - lower) * (rank - seen) / n) * 1e3;
      }
      seen += n;
    }
    return b.getUpperBound(b.size() - 1) * 1e3;
  }

  /** Prometheus's text format of every metric. */
  String scrape() {
    var out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}

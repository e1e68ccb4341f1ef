package io.federa.flow.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

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

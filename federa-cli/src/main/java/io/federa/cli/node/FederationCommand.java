package io.federa.cli.node;

import io.federa.cli.FederaCommand;
import io.federa.cli.NodeOption;
import io.federa.cli.Progress;
import io.federa.federation.GrpcFederation;
import io.federa.federation.NodeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code federa federation check}. */
@Command(
    name = "federation",
    description = "Inspect the federation from this party's point of view.",
    subcommands = {FederationCommand.Check.class})
public final class FederationCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Connects to every party in the route table with this party's identity. */
  @Command(
      name = "check",
      description = "Reach every party: TLS identity, round-trip latency, clock skew.")
  static final class Check extends FederaCommand<Map<String, Object>> {
    @Mixin NodeOption node;

    @Option(
        names = "--timeout",
        defaultValue = "5",
        description = "Seconds per party. Default: ${DEFAULT-VALUE}.")
    int timeout;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      NodeConfig config = NodeConfig.load(node.path());
      // a client-only view of the node: listens on an ephemeral port, dials with the party's
      // identity
      NodeConfig client = config.withListenPort(0).withRoutes(config.routes());
      List<Map<String, Object>> rows = new ArrayList<>();
      try (GrpcFederation probe = GrpcFederation.start(client, Duration.ofSeconds(timeout))) {
        for (var e : config.routes().entrySet()) {
          var row = new LinkedHashMap<String, Object>();
          row.put("party_id", e.getKey());
          row.put("address", e.getValue().toString());
          try {
            // the first call opens the connection (TLS handshake); the best of five follows
            var r = probe.ping(e.getKey(), Duration.ofSeconds(timeout));
            for (int i = 0; i < 5; i++) {
              var again = probe.ping(e.getKey(), Duration.ofSeconds(timeout));
              if (again.roundTripNanos() < r.roundTripNanos() || i == 0) {
                r = again;
              }
            }
            row.put("reachable", true);
            row.put("tls_verified", r.partyId() == e.getKey());
            row.put("rtt_ms", r.roundTripNanos() / 1e6);
            row.put("clock_skew_ms", r.clockSkewNanos() / 1e6);
          } catch (RuntimeException ex) {
            row.put("reachable", false);
            row.put("tls_verified", false);
            row.put("error", rootMessage(ex));
          }
          rows.add(row);
        }
      }
      var m = new LinkedHashMap<String, Object>();
      m.put("party_id", config.partyId());
      m.put("parties", rows);
      return m;
    }

    private static String rootMessage(Throwable t) {
      Throwable c = t;
      while (c.getCause() != null && c.getCause() != c) {
        c = c.getCause();
      }
      String m = t.getMessage();
      return c == t || c.getMessage() == null ? m : m + " (" + c.getMessage() + ")";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.printf("seen from party %s%n", r.get("party_id"));
      out.printf(
          "%-8s %-22s %-9s %-7s %9s %11s%n",
          "party", "address", "reachable", "tls", "rtt ms", "skew ms");
      for (Map<String, Object> row : (List<Map<String, Object>>) r.get("parties")) {
        boolean ok = Boolean.TRUE.equals(row.get("reachable"));
        out.printf(
            "%-8s %-22s %-9s %-7s %9s %11s%s%n",
            row.get("party_id"),
            row.get("address"),
            ok ? "yes" : "NO",
            Boolean.TRUE.equals(row.get("tls_verified")) ? "ok" : "-",
            ok ? String.format("%.2f", (Double) row.get("rtt_ms")) : "-",
            ok ? String.format("%.2f", (Double) row.get("clock_skew_ms")) : "-",
            ok ? "" : "  " + row.get("error"));
      }
    }
  }
}

package io.federa.cli.node;

import io.federa.cli.FederaCommand;
import io.federa.cli.NodeOption;
import io.federa.cli.Progress;
import io.federa.federation.GrpcFederation;
import io.federa.federation.NodeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
      description =
          "Reach every party: TLS identity, round-trip latency, clock skew; exits 3 when a peer"
              + " is unreachable.")
  static final class Check extends FederaCommand<Check.Report> {
    /** What one party's node saw of another: reachable, its TLS identity, latency, clock skew. */
    record Seen(
        int partyId,
        String address,
        boolean reachable,
        boolean tlsVerified,
        Double rttMs,
        Double clockSkewMs,
        String error) {}

    /** Every party as {@code partyId} sees it. */
    record Report(int partyId, List<Seen> parties) {}

    @Mixin NodeOption node;

    @Option(
        names = "--timeout",
        defaultValue = "5",
        description = "Seconds per party. Default: ${DEFAULT-VALUE}.")
    int timeout;

    @Override
    protected Report execute(Progress progress) {
      NodeConfig config = NodeConfig.load(node.path());
      // a client-only view of the node: listens on an ephemeral port, dials with the party's
      // identity
      NodeConfig client = config.withListenPort(0).withRoutes(config.routes());
      List<Seen> rows = new ArrayList<>();
      try (GrpcFederation probe = GrpcFederation.start(client, Duration.ofSeconds(timeout))) {
        for (var e : config.routes().entrySet()) {
          String address = e.getValue().toString();
          try {
            // the first call opens the connection (TLS handshake); the best of five follows
            var r = probe.ping(e.getKey(), Duration.ofSeconds(timeout));
            for (int i = 0; i < 5; i++) {
              var again = probe.ping(e.getKey(), Duration.ofSeconds(timeout));
              if (again.roundTripNanos() < r.roundTripNanos() || i == 0) {
                r = again;
              }
            }
            rows.add(
                new Seen(
                    e.getKey(),
                    address,
                    true,
                    r.partyId() == e.getKey(),
                    r.roundTripNanos() / 1e6,
                    r.clockSkewNanos() / 1e6,
                    null));
          } catch (RuntimeException ex) {
            rows.add(new Seen(e.getKey(), address, false, false, null, null, rootMessage(ex)));
          }
        }
      }
      return new Report(config.partyId(), rows);
    }

    /** 3 when a peer could not be reached or did not prove its identity. */
    @Override
    protected int exitCode(Report r) {
      return r.parties().stream()
              .filter(s -> s.partyId() != r.partyId())
              .allMatch(s -> s.reachable() && s.tlsVerified())
          ? 0
          : 3;
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
    protected void printText(Report r, PrintWriter out) {
      out.printf("seen from party %s%n", r.partyId());
      out.printf(
          "%-8s %-22s %-9s %-7s %9s %11s%n",
          "party", "address", "reachable", "tls", "rtt ms", "skew ms");
      for (Seen row : r.parties()) {
        boolean ok = row.reachable();
        out.printf(
            "%-8s %-22s %-9s %-7s %9s %11s%s%n",
            row.partyId(),
            row.address(),
            ok ? "yes" : "NO",
            row.tlsVerified() ? "ok" : "-",
            ok ? String.format("%.2f", row.rttMs()) : "-",
            ok ? String.format("%.2f", row.clockSkewMs()) : "-",
            ok ? "" : "  " + row.error());
      }
    }
  }
}

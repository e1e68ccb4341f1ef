package io.federa.cli.node;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.federation.NodeConfig;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa init}: a federation's PKI, route table and node configurations. */
@Command(
    name = "init",
    description = {
      "Create a federation: a CA, a certificate and key per party, routes, one node.yaml each.",
      "The party id is in each certificate; private keys are owner-only."
    })
public final class InitCommand extends FederaCommand<InitCommand.Federation> {
  /** One party's node configuration. */
  public record Party(int partyId, String organisation, String address, String conf) {}

  /** The federation's directory, its CA certificate and its parties. */
  public record Federation(String dir, String caCertificate, List<Party> parties) {}

  @Option(names = "--dir", required = true, description = "Directory of the federation.")
  Path dir;

  @Option(
      names = "--parties",
      description =
          "The parties as ID:ORG[@HOST:PORT],… (e.g."
              + " 9999:guest-org,10000:host-org,10001:arbiter-org).")
  String parties;

  @Option(
      names = "--add-party",
      description = "Add one party (ID:ORG[@HOST:PORT]) to an existing federation.")
  String addParty;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Default host. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--base-port",
      description =
          "First port (default: 50051 for a new federation; with --add-party, the port after the"
              + " federation's highest).")
  Integer basePort;

  @Override
  protected Federation execute(Progress progress) {
    if ((parties == null) == (addParty == null)) {
      throw new io.federa.core.FederaException(
          io.federa.core.ErrorCode.INVALID_ARGUMENT,
          "give either --parties (a new federation) or --add-party (one more party)");
    }
    var pki = new FederationPki();
    List<Path> configs = new ArrayList<>();
    if (parties != null) {
      configs.addAll(
          pki.init(dir, PartySpec.parseList(parties, host, basePort == null ? 50051 : basePort)));
    } else {
      int port = basePort == null ? pki.nextPort(dir) : basePort;
      PartySpec spec = PartySpec.parseList(addParty, host, port).get(0);
      configs.add(pki.addParty(dir, spec));
    }
    List<Party> rows = new ArrayList<>();
    for (Path file : configs) {
      NodeConfig c = NodeConfig.load(file);
      rows.add(new Party(c.partyId(), c.organisation(), c.listen().toString(), file.toString()));
    }
    return new Federation(dir.toString(), dir.resolve("ca").resolve("ca.crt").toString(), rows);
  }

  @Override
  protected void printText(Federation r, PrintWriter out) {
    out.printf("federation in %s (CA certificate %s)%n", r.dir(), r.caCertificate());
    for (Party row : r.parties()) {
      out.printf(
          "  party %-6s %-16s %-22s %s%n",
          row.partyId(), row.organisation(), row.address(), row.conf());
    }
    out.println("start each node with: federa node start --conf <its node.yaml>");
    out.println("keep ca/ca.key offline once every party is issued");
  }
}

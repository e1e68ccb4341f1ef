package io.federa.cli.node;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.federation.NodeConfig;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa init}: a federation's PKI, route table and node configurations. */
@Command(
    name = "init",
    description = {
      "Create a federation: a CA, a certificate and key per party, routes, one node.yaml each.",
      "The party id is in each certificate; private keys are owner-only."
    })
public final class InitCommand extends FederaCommand<Map<String, Object>> {
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
  protected Map<String, Object> execute(Progress progress) {
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
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Path file : configs) {
      NodeConfig c = NodeConfig.load(file);
      var row = new LinkedHashMap<String, Object>();
      row.put("party_id", c.partyId());
      row.put("organisation", c.organisation());
      row.put("address", c.listen().toString());
      row.put("conf", file.toString());
      rows.add(row);
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("dir", dir.toString());
    m.put("ca_certificate", dir.resolve("ca").resolve("ca.crt").toString());
    m.put("parties", rows);
    return m;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected void printText(Map<String, Object> r, PrintWriter out) {
    out.printf("federation in %s (CA certificate %s)%n", r.get("dir"), r.get("ca_certificate"));
    for (Map<String, Object> row : (List<Map<String, Object>>) r.get("parties")) {
      out.printf(
          "  party %-6s %-16s %-22s %s%n",
          row.get("party_id"), row.get("organisation"), row.get("address"), row.get("conf"));
    }
    out.println("start each node with: federa node start --conf <its node.yaml>");
    out.println("keep ca/ca.key offline once every party is issued");
  }
}

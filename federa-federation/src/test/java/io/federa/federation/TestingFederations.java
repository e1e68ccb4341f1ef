package io.federa.federation;

import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Federations made with the real PKI in a temporary directory, on free loopback ports. */
final class TestingFederations {
  private TestingFederations() {}

  static int freePort() {
    return io.federa.core.io.LoopbackPorts.pick();
  }

  /** Writes the PKI for parties {@code ids} and returns their node configurations. */
  static List<NodeConfig> create(Path dir, int... ids) {
    List<PartySpec> specs = new ArrayList<>();
    for (int id : ids) {
      specs.add(new PartySpec(id, "org-" + id, "127.0.0.1", freePort()));
    }
    List<NodeConfig> configs = new ArrayList<>();
    for (Path file : new FederationPki().init(dir, specs)) {
      configs.add(NodeConfig.load(file));
    }
    return configs;
  }
}

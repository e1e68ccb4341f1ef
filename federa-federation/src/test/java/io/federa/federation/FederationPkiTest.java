package io.federa.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import io.federa.federation.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationPkiTest {
  @TempDir Path dir;

  @Test
  void init_writesKeysOwnerOnlyAndCertificatesNamingTheParty() throws Exception {
    List<NodeConfig> nodes = TestingFederations.create(dir, 9999, 10000, 10001);
    assertEquals(3, nodes.size());
    for (NodeConfig c : nodes) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(c.privateKeyFile())));
      var cert = Pem.readCertificate(c.certificateFile());
      assertEquals(c.partyId(), FederationPki.partyIdOf(cert));
      cert.verify(Pem.readCertificate(c.caFile()).getPublicKey());
      assertEquals(3, c.routes().size());
    }
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.key"))));
    assertTrue(Files.readString(dir.resolve("routes.yaml")).contains("10001:"));
  }

  @Test
  void addParty_issuesACertificateAndUpdatesEveryRouteTable() {
    TestingFederations.create(dir, 9999, 10000);
    new FederationPki().addParty(dir, new PartySpec(10001, "arbiter-org", "127.0.0.1", 50999));
    NodeConfig guest = NodeConfig.load(dir.resolve("party-9999/node.yaml"));
    assertEquals(50999, guest.route(10001).port());
    NodeConfig added = NodeConfig.load(dir.resolve("party-10001/node.yaml"));
    assertEquals(3, added.routes().size());
    var e =
        assertThrows(
            FederaException.class,
            () -> new FederationPki().addParty(dir, new PartySpec(10001, "again", "127.0.0.1", 1)));
    assertTrue(e.getMessage().contains("already in the federation"));
  }

  @Test
  void init_twiceInOneDirectory_isRefused() {
    TestingFederations.create(dir, 1, 2);
    var e = assertThrows(FederaException.class, () -> TestingFederations.create(dir, 3));
    assertTrue(e.getMessage().contains("already holds a federation"));
  }

  @Test
  void partySpecs_parseWithDefaultsAndExplicitAddresses() {
    var specs =
        PartySpec.parseList("9999:guest-org,10000:host-org@10.1.2.3:7000", "127.0.0.1", 50051);
    assertEquals(new PartySpec(9999, "guest-org", "127.0.0.1", 50051), specs.get(0));
    assertEquals(new PartySpec(10000, "host-org", "10.1.2.3", 7000), specs.get(1));
    assertThrows(FederaException.class, () -> PartySpec.parseList("guest", "h", 1));
    assertThrows(FederaException.class, () -> PartySpec.parseList("x:guest", "h", 1));
  }

  @Test
  void nodeConfig_unknownRoute_namesTheFix() {
    NodeConfig c = TestingFederations.create(dir, 7, 8).get(0);
    var e = assertThrows(FederaException.class, () -> c.route(42));
    assertTrue(e.getMessage().contains("party 42 is not in the route table of party 7"));
    assertTrue(e.getMessage().contains("--add-party"));
  }
}

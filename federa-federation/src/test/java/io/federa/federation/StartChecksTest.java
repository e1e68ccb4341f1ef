package io.federa.federation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node refuses to start with an identity that is not its own or a configuration that would fail
 * later (hardening findings 4 and 9): each problem named with its fix, before anything listens.
 */
class StartChecksTest {
  @TempDir Path dir;
  private Path guest;
  private String yaml;

  @BeforeEach
  void federation() throws Exception {
    List<Path> confs =
        new FederationPki()
            .init(
                dir,
                List.of(
                    new PartySpec(9999, "guest-org", "127.0.0.1", 50051),
                    new PartySpec(10000, "host-org", "127.0.0.1", 50052)));
    guest = confs.get(0);
    yaml = Files.readString(guest);
  }

  /** The message of starting with {@code guest}'s node.yaml edited by {@code edit}. */
  private String refusal(UnaryOperator<String> edit) throws Exception {
    Files.writeString(guest, edit.apply(yaml));
    NodeConfig c = NodeConfig.load(guest);
    return assertThrows(FederaException.class, () -> StartChecks.require(c)).getMessage();
  }

  @Test
  void aConfigurationFromInit_starts() {
    assertDoesNotThrow(() -> StartChecks.require(NodeConfig.load(guest)));
  }

  @Test
  void noPartyId_isRefused() throws Exception {
    String m = refusal(y -> y.replace("party_id: 9999\n", ""));
    assertTrue(m.contains("party_id is missing"), m);
  }

  @Test
  void aPartyIdOtherThanTheCertificates_isRefused() throws Exception {
    String m = refusal(y -> y.replace("party_id: 9999", "party_id: 10000"));
    assertTrue(m.contains("is party 9999's, but party_id is 10000"), m);
  }

  @Test
  void aPartyIdNotInTheRoutes_isRefused() throws Exception {
    String m = refusal(y -> y.replace("  9999:\n    host: \"127.0.0.1\"\n    port: 50051\n", ""));
    assertTrue(m.contains("party_id 9999 is not in routes"), m);
  }

  @Test
  void anotherPartysKey_isRefused() throws Exception {
    Path hostKey = dir.resolve("party-10000").resolve("node.key");
    String m =
        refusal(y -> y.replace("private_key: \"node.key\"", "private_key: \"" + hostKey + "\""));
    assertTrue(m.contains("does not belong to the certificate"), m);
  }

  @Test
  void garbageCertificateAndMissingKey_areNamed() throws Exception {
    Files.writeString(dir.resolve("party-9999").resolve("bad.crt"), "not a certificate");
    String m =
        refusal(
            y ->
                y.replace("certificate: \"node.crt\"", "certificate: \"bad.crt\"")
                    .replace("private_key: \"node.key\"", "private_key: \"missing.key\""));
    assertTrue(m.contains("holds no PEM certificate") || m.contains("does not exist"), m);
  }

  @Test
  void zeroOrNegativeMaxJobs_badPortsAndAFileAsDataDir_areRefused() throws Exception {
    Files.writeString(dir.resolve("party-9999").resolve("data"), "a file");
    String m = refusal(y -> y.replace("port: 50051\ntls", "port: 99999\ntls") + "max_jobs: 0\n");
    assertTrue(m.contains("max_jobs is 0"), m);
    assertTrue(m.contains("listen.port 99999 is not a port"), m);
    assertTrue(m.contains("is a file: point data_dir at a directory"), m);
    assertTrue(m.contains("(3 problems)"), m);
    assertTrue(refusal(y -> y + "max_jobs: -3\n").contains("max_jobs is -3"));
    String r = refusal(y -> y + "retention: {job_days: 0}\n");
    assertTrue(r.contains("retention.job_days is 0: give 1 or more days"), r);
  }
}

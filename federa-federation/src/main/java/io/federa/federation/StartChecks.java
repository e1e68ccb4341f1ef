package io.federa.federation;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node checks in its {@code node.yaml} before it starts, so that it never runs with an
 * identity that is not its own or fails later with a stack trace: a party id that its certificate
 * names and its routes hold, a private key that belongs to that certificate, real ports, a data
 * directory that can be one, a job limit of at least one. Every problem is named with its fix, all
 * at once.
 */
public final class StartChecks {
  private StartChecks() {}

  /** Throws {@code INVALID_INPUT} listing every problem of {@code c}, each with its fix. */
  public static void require(NodeConfig c) {
    List<String> problems = new ArrayList<>();
    if (c.partyId() <= 0) {
      problems.add(
          "party_id is missing or not positive ("
              + c.partyId()
              + "): set it to this organisation's party id (e.g. 9999), as 'federa init' writes it");
    }
    // 0 lets the system choose a free port (a client-only probe, a test)
    port(problems, "listen.port", c.listen() == null ? -1 : c.listen().port(), 0);
    if (c.http() != null) {
      port(problems, "http.port", c.http().port(), 0);
    }
    c.routes().forEach((party, a) -> port(problems, "routes." + party + ".port", a.port(), 1));
    if (c.partyId() > 0 && !c.routes().containsKey(c.partyId())) {
      problems.add(
          "party_id "
              + c.partyId()
              + " is not in routes: add this node's own address under routes (as 'federa init'"
              + " writes it), or fix party_id");
    }
    if (c.maxJobs() != null && (c.maxJobs() < 1 || c.maxJobs() > 1000)) {
      problems.add(
          "max_jobs is "
              + c.maxJobs()
              + ": give the number of jobs this node runs at once, from 1 to 1000 (default 2)");
    }
    if (c.uploads() != null && c.uploads().maxMb() != null && c.uploads().maxMb() < 1) {
      problems.add(
          "uploads.max_mb is " + c.uploads().maxMb() + ": give a size in MiB of 1 or more");
    }
    for (Path d : c.uploadDirs()) {
      if (!Files.isDirectory(d)) {
        problems.add(
            "uploads.dirs names " + d + ", which is not a directory: create it or remove it");
      }
    }
    if (c.heartbeat().isNegative()
        || c.heartbeat().isZero()
        || c.unreachableAfter().compareTo(c.heartbeat()) <= 0
        || c.failAfter().compareTo(c.unreachableAfter()) < 0) {
      problems.add(
          "watchdog: give heartbeat_s ≥ 1 < unreachable_after_s ≤ fail_after_s (now "
              + c.heartbeat().toSeconds()
              + ", "
              + c.unreachableAfter().toSeconds()
              + ", "
              + c.failAfter().toSeconds()
              + ")");
    }
    if (c.retention() != null && c.retention().jobDays() != null && c.retention().jobDays() < 1) {
      problems.add(
          "retention.job_days is "
              + c.retention().jobDays()
              + ": give 1 or more days, or remove it to keep jobs until 'federa job delete'");
    }
    if (c.dataDir() != null) {
      Path data = c.dataPath();
      if (Files.exists(data) && !Files.isDirectory(data)) {
        problems.add(
            "data_dir "
                + data
                + " is a file: point data_dir at a directory (it is created if missing)");
      }
    }
    identity(c, problems);
    if (!problems.isEmpty()) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "this node.yaml cannot start a node ("
              + problems.size()
              + " problem"
              + (problems.size() > 1 ? "s" : "")
              + "):\n  "
              + String.join("\n  ", problems));
    }
  }

  private static void port(List<String> problems, String where, int port, int lowest) {
    if (port < lowest || port > 65535) {
      problems.add(where + " " + port + " is not a port: use 1 to 65535");
    }
  }

  /** The certificate names this party, and the private key is the certificate's. */
  private static void identity(NodeConfig c, List<String> problems) {
    if (c.tls() == null) {
      problems.add("tls is missing: give certificate, private_key and ca, as 'federa init' writes");
      return;
    }
    X509Certificate cert;
    PrivateKey key;
    try {
      cert = Pem.readCertificate(c.certificateFile());
      key = Pem.readPrivateKey(c.privateKeyFile());
      Pem.readCertificate(c.caFile());
    } catch (FederaException e) {
      problems.add(e.getMessage());
      return;
    }
    try {
      int named = FederationPki.partyIdOf(cert);
      if (c.partyId() > 0 && named != c.partyId()) {
        problems.add(
            "the certificate "
                + c.certificateFile()
                + " is party "
                + named
                + "'s, but party_id is "
                + c.partyId()
                + ": use party "
                + c.partyId()
                + "'s certificate and key, or fix party_id");
      }
    } catch (FederaException e) {
      problems.add(c.certificateFile() + ": " + e.getMessage());
    }
    if (!belongs(key, cert)) {
      problems.add(
          "the private key "
              + c.privateKeyFile()
              + " does not belong to the certificate "
              + c.certificateFile()
              + ": use the key issued with it (both from 'federa init')");
    }
  }

  /** Whether a signature by {@code key} verifies under the certificate's public key. */
  private static boolean belongs(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null
        || !cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
            && !(key.getAlgorithm().startsWith("EC")
                && cert.getPublicKey().getAlgorithm().startsWith("EC"))) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(challenge);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(cert.getPublicKey());
      v.update(challenge);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

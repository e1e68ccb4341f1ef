package io.federa.federation.pki;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The federation's public-key infrastructure ({@code federa init}): a CA, and per party an EC P-256
 * key pair with a certificate whose subject's common name is the party id (the only place a peer's
 * identity comes from), a route table and one {@code node.yaml} per party. Private keys are written
 * owner-only.
 *
 * <pre>
 * D/ca/ca.crt, D/ca/ca.key          the federation CA (keep ca.key offline after init)
 * D/routes.yaml                     party id → host:port
 * D/party-9999/node.yaml            node configuration
 * D/party-9999/node.crt, node.key   the party's identity
 * D/party-9999/ca.crt               the CA certificate, to verify peers
 * </pre>
 */
public final class FederationPki {
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration NODE_VALIDITY = Duration.ofDays(730);

  private final SecureRandom random = new SecureRandom();
  private final java.time.Clock clock;

  public FederationPki() {
    this(java.time.Clock.systemUTC());
  }

  /** With another clock: tests issue certificates that are already expired. */
  FederationPki(java.time.Clock clock) {
    this.clock = clock;
  }

  /** For tests in other packages: a PKI whose "now" is {@code now}. */
  public static FederationPki at(Instant now) {
    return new FederationPki(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
  }

  /** Re-issues a party's certificate (same key file location), e.g. before it expires. */
  public void reissue(Path dir, int partyId) {
    PrivateKey caKey = Pem.readPrivateKey(dir.resolve("ca").resolve("ca.key"));
    X509Certificate caCert = Pem.readCertificate(dir.resolve("ca").resolve("ca.crt"));
    Path partyDir = dir.resolve("party-" + partyId);
    NodeConfig config = NodeConfig.load(partyDir.resolve("node.yaml"));
    var spec =
        new PartySpec(
            partyId, config.organisation(), config.listen().host(), config.listen().port());
    writeIdentity(partyDir, spec, caKey, caCert);
  }

  /** A fresh key pair and certificate for a party, written into its directory. */
  private void writeIdentity(Path partyDir, PartySpec p, PrivateKey caKey, X509Certificate caCert) {
    KeyPair keys = newKeyPair();
    Pem.writePrivateKey(partyDir.resolve("node.key"), keys.getPrivate());
    Pem.writeCertificate(
        partyDir.resolve("node.crt"), nodeCertificate(p, keys.getPublic(), caKey, caCert));
  }

  /** Creates a new federation in {@code dir} (which must not hold one already). */
  public List<Path> init(Path dir, List<PartySpec> parties) {
    if (Files.exists(dir.resolve("ca").resolve("ca.key"))) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          dir
              + " already holds a federation; add parties with 'federa init --add-party', or pick"
              + " another directory");
    }
    requireUniqueIds(parties, List.of());
    KeyPair ca = newKeyPair();
    X509Certificate caCert = caCertificate(ca);
    Pem.writePrivateKey(dir.resolve("ca").resolve("ca.key"), ca.getPrivate());
    Pem.writeCertificate(dir.resolve("ca").resolve("ca.crt"), caCert);
    Map<Integer, NodeConfig.Address> routes = new TreeMap<>();
    for (PartySpec p : parties) {
      routes.put(p.partyId(), new NodeConfig.Address(p.host(), p.port()));
    }
    List<Path> configs = new ArrayList<>();
    for (PartySpec p : parties) {
      configs.add(issue(dir, p, ca.getPrivate(), caCert, routes));
    }
    writeRoutes(dir, routes);
    return configs;
  }

  /** The port after the highest one the federation at {@code dir} routes to (for a new party). */
  public int nextPort(Path dir) {
    return readRoutes(dir).values().stream().mapToInt(NodeConfig.Address::port).max().orElse(50050)
        + 1;
  }

  /** Adds a party to an existing federation and updates every party's route table. */
  public Path addParty(Path dir, PartySpec party) {
    PrivateKey caKey = Pem.readPrivateKey(dir.resolve("ca").resolve("ca.key"));
    X509Certificate caCert = Pem.readCertificate(dir.resolve("ca").resolve("ca.crt"));
    Map<Integer, NodeConfig.Address> routes = readRoutes(dir);
    if (routes.containsKey(party.partyId())) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "party " + party.partyId() + " is already in the federation at " + dir);
    }
    routes.put(party.partyId(), new NodeConfig.Address(party.host(), party.port()));
    Path config = issue(dir, party, caKey, caCert, routes);
    for (int id : routes.keySet()) {
      Path file = dir.resolve("party-" + id).resolve("node.yaml");
      if (id != party.partyId() && Files.exists(file)) {
        NodeConfig.load(file).withRoutes(routes).save(file);
      }
    }
    writeRoutes(dir, routes);
    return config;
  }

  /** The party id in a certificate's subject (its common name). */
  public static int partyIdOf(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    var cns = subject.getRDNs(BCStyle.CN);
    if (cns.length != 1) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the certificate names no single party id (common name)");
    }
    String cn = IETFUtils.valueToString(cns[0].getFirst().getValue());
    try {
      return Integer.parseInt(cn);
    } catch (NumberFormatException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT, "the certificate's common name '" + cn + "' is not a party id");
    }
  }

  private Path issue(
      Path dir,
      PartySpec p,
      PrivateKey caKey,
      X509Certificate caCert,
      Map<Integer, NodeConfig.Address> routes) {
    Path partyDir = dir.resolve("party-" + p.partyId());
    writeIdentity(partyDir, p, caKey, caCert);
    Pem.writeCertificate(partyDir.resolve("ca.crt"), caCert);
    var config =
        new NodeConfig(
            p.partyId(),
            p.organisation(),
            new NodeConfig.Address(p.host(), p.port()),
            new NodeConfig.Tls("node.crt", "node.key", "ca.crt"),
            "data",
            routes,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            partyDir);
    Path file = partyDir.resolve("node.yaml");
    config.save(file);
    return file;
  }

  private static void requireUniqueIds(List<PartySpec> parties, List<Integer> existing) {
    var seen = new java.util.HashSet<>(existing);
    for (PartySpec p : parties) {
      if (!seen.add(p.partyId())) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "party id " + p.partyId() + " is listed twice");
      }
    }
  }

  private static void writeRoutes(Path dir, Map<Integer, NodeConfig.Address> routes) {
    io.federa.core.io.AtomicFiles.write(
        dir.resolve("routes.yaml"),
        out -> {
          out.write("# party id: host and port of its node\n");
          for (var e : routes.entrySet()) {
            out.write(
                e.getKey()
                    + ": {host: "
                    + e.getValue().host()
                    + ", port: "
                    + e.getValue().port()
                    + "}\n");
          }
        });
  }

  private static Map<Integer, NodeConfig.Address> readRoutes(Path dir) {
    try {
      var mapper =
          new com.fasterxml.jackson.databind.ObjectMapper(
              new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
      var type =
          mapper
              .getTypeFactory()
              .constructMapType(TreeMap.class, Integer.class, NodeConfig.Address.class);
      Map<Integer, NodeConfig.Address> routes =
          mapper.readValue(dir.resolve("routes.yaml").toFile(), type);
      return new TreeMap<>(routes);
    } catch (java.io.IOException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          dir.resolve("routes.yaml")
              + " is missing or unreadable; is "
              + dir
              + " a federation made by 'federa init'?",
          e);
    }
  }

  private KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is missing from this JVM", e);
    }
  }

  private X509Certificate caCertificate(KeyPair ca) {
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Federa federation")
            .addRDN(BCStyle.CN, "Federa federation CA " + Long.toHexString(random.nextLong()))
            .build();
    try {
      Instant now = clock.instant();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              serial(),
              Date.from(now.minusSeconds(300)),
              Date.from(now.plus(CA_VALIDITY)),
              name,
              ca.getPublic());
      var ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
      return sign(b, ca.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the CA certificate", e);
    }
  }

  private X509Certificate nodeCertificate(
      PartySpec p, PublicKey key, PrivateKey caKey, X509Certificate caCert) {
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, p.organisation())
            .addRDN(BCStyle.CN, Integer.toString(p.partyId()))
            .build();
    try {
      Instant now = clock.instant();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert,
              serial(),
              Date.from(now.minusSeconds(300)),
              Date.from(now.plus(NODE_VALIDITY)),
              subject,
              key);
      var ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(p.host()));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      return sign(b, caKey);
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the certificate of party " + p.partyId(), e);
    }
  }

  private static GeneralNames subjectAltNames(String host) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    if (!host.equals("localhost") && !host.equals("127.0.0.1")) {
      boolean ip = host.matches("[0-9.]+") || host.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private BigInteger serial() {
    return new BigInteger(128, random);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws Exception {
    var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(contentSigner));
  }
}

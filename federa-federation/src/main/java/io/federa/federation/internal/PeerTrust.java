package io.federa.federation.internal;

import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.Pem;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.IntPredicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a peer's certificate chain against the federation CA (validity dates included), then
 * checks that the party id in its subject is acceptable: the expected peer for a client, a party of
 * the route table for a server. Every refusal is logged with its reason.
 */
public final class PeerTrust extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(PeerTrust.class);

  private final X509ExtendedTrustManager delegate;
  private final IntPredicate acceptable;
  private final String what;

  private PeerTrust(Path caFile, IntPredicate acceptable, String what) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("federation-ca", Pem.readCertificate(caFile));
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      this.delegate = (X509ExtendedTrustManager) f.getTrustManagers()[0];
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot load the federation CA from " + caFile, e);
    }
    this.acceptable = acceptable;
    this.what = what;
  }

  /** For a client that dials {@code expectedParty}. */
  public static PeerTrust forServer(Path caFile, int expectedParty) {
    return new PeerTrust(caFile, id -> id == expectedParty, "party " + expectedParty);
  }

  /** For a node's server: any party of its route table. */
  public static PeerTrust forClients(Path caFile, Set<Integer> routes) {
    return new PeerTrust(caFile, routes::contains, "a party of the route table " + routes);
  }

  private void checkIdentity(X509Certificate[] chain, String side) throws CertificateException {
    int party;
    try {
      party = FederationPki.partyIdOf(chain[0]);
    } catch (RuntimeException e) {
      LOG.warn("refused a {}: {}", side, e.getMessage());
      throw new CertificateException(e.getMessage());
    }
    if (!acceptable.test(party)) {
      String why =
          "it presented the certificate of party " + party + " but " + what + " was expected";
      LOG.warn("refused a {}: {}", side, why);
      throw new CertificateException(why);
    }
  }

  /** A check of the chain against the CA, as the delegate trust manager does it. */
  @FunctionalInterface
  private interface ChainCheck {
    void run() throws CertificateException;
  }

  /** The CA check, then the party check; each refusal logged with its reason. */
  private void verify(String side, ChainCheck caCheck, X509Certificate[] chain)
      throws CertificateException {
    try {
      caCheck.run();
    } catch (CertificateException e) {
      LOG.warn(
          "refused a {}: its certificate does not verify against the federation CA ({})",
          side,
          e.getMessage());
      throw e;
    }
    checkIdentity(chain, side);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify("client", () -> delegate.checkClientTrusted(chain, authType, socket), chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify("client", () -> delegate.checkClientTrusted(chain, authType, engine), chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify("client", () -> delegate.checkClientTrusted(chain, authType), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify("server", () -> delegate.checkServerTrusted(chain, authType, socket), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify("server", () -> delegate.checkServerTrusted(chain, authType, engine), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify("server", () -> delegate.checkServerTrusted(chain, authType), chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}

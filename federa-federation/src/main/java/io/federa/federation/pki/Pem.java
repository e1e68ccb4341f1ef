package io.federa.federation.pki;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM files of certificates and PKCS#8 private keys (what gRPC's TLS reads). */
public final class Pem {
  private Pem() {}

  public static void writeCertificate(Path file, X509Certificate certificate) {
    AtomicFiles.write(
        file,
        false,
        out -> {
          try (var pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
          }
        });
  }

  /** Writes a private key as unencrypted PKCS#8, readable by its owner only. */
  public static void writePrivateKey(Path file, PrivateKey key) {
    AtomicFiles.write(
        file,
        true,
        out -> {
          try (var pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
          }
        });
  }

  public static X509Certificate readCertificate(Path file) {
    Object o = read(file);
    if (!(o instanceof X509CertificateHolder holder)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          file + " holds no PEM certificate; point to the node's .crt file");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new FederaException(ErrorCode.INVALID_INPUT, file + ": unreadable certificate", e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) {
    Object o = read(file);
    try {
      if (o instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new FederaException(ErrorCode.INVALID_INPUT, file + ": unreadable private key", e);
    }
    throw new FederaException(
        ErrorCode.INVALID_INPUT, file + " holds no PEM private key; point to the node's .key file");
  }

  private static Object read(Path file) {
    try (Reader reader = Files.newBufferedReader(file);
        var parser = new PEMParser(reader)) {
      return parser.readObject();
    } catch (NoSuchFileException e) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          file + " does not exist; run 'federa init' or fix the path in node.yaml");
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

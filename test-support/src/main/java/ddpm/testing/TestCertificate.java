package ddpm.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An X.509 certificate and its P-256 key, made in plain Java for tests of TLS: a certificate authority
 * ({@link #authority}) and the leaf certificates it issues ({@link #issue}), written as PEM files the way
 * cert-manager or openssl would. The JDK has no public API that writes certificates, so the DER (ITU-T
 * X.690) of RFC 5280's TBSCertificate is put together here; it holds only what TLS checks: subject, issuer,
 * validity, key, basic constraints, key usage and subject alternative names.
 */
public final class TestCertificate {
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private TestCertificate(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A self-signed certificate authority named {@code commonName}, valid for a day. */
  public static TestCertificate authority(String commonName) {
    KeyPair pair = newKeyPair();
    byte[] name = name(commonName);
    byte[] extensions = sequence(
        extension(BASIC_CONSTRAINTS, sequence(tlv(0x01, new byte[] {(byte) 0xff}))),
        // keyCertSign and cRLSign: bits 5 and 6, the last bit unused.
        extension(KEY_USAGE, tlv(0x03, new byte[] {0x01, 0x06})));
    return signed(name, name, pair, pair.getPrivate(), extensions);
  }

  /**
   * A leaf certificate for {@code commonName}, signed by this authority, valid for a day, for both servers and
   * clients; {@code alternativeNames} become its DNS names, or IP addresses for dotted quads.
   */
  public TestCertificate issue(String commonName, String... alternativeNames) {
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    for (String alternative : alternativeNames) {
      names.writeBytes(IPV4.matcher(alternative).matches()
          ? tlv(0x87, ipv4(alternative))
          : tlv(0x82, alternative.getBytes(StandardCharsets.US_ASCII)));
    }
    byte[] extensions = sequence(
        extension(BASIC_CONSTRAINTS, sequence()),
        // digitalSignature: bit 0, seven bits unused.
        extension(KEY_USAGE, tlv(0x03, new byte[] {0x07, (byte) 0x80})),
        extension(SUBJECT_ALT_NAME, tlv(0x30, names.toByteArray())));
    return signed(name(commonName), subjectName(), newKeyPair(), key, extensions);
  }

  /** A server certificate for this machine's loopback address, as the tests dial it. */
  public TestCertificate issueForLoopback(String commonName) {
    return issue(commonName, "localhost", "127.0.0.1");
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes the certificate as PEM to {@code file}, replacing what it held. */
  public Path writeCertificate(Path file) throws IOException {
    return writePem(file, "CERTIFICATE", encoded(certificate));
  }

  /** Writes the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) to {@code file}. */
  public Path writeKey(Path file) throws IOException {
    return writePem(file, "PRIVATE KEY", key.getEncoded());
  }

  private byte[] subjectName() {
    return certificate.getSubjectX500Principal().getEncoded();
  }

  private static TestCertificate signed(byte[] subject, byte[] issuer, KeyPair subjectKeys, PrivateKey signingKey,
      byte[] extensions) {
    Instant now = Instant.now();
    byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
    byte[] tbs = sequence(
        tlv(0xa0, integer(BigInteger.TWO)), // version 3
        integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
        algorithm,
        issuer,
        sequence(utcTime(now.minus(Duration.ofHours(1))), utcTime(now.plus(Duration.ofDays(1)))),
        subject,
        subjectKeys.getPublic().getEncoded(),
        tlv(0xa3, extensions));
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(signingKey);
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] der = sequence(tbs, algorithm, bitString(signature));
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return new TestCertificate(certificate, subjectKeys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("making a test certificate", e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has P-256", e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writePem(Path file, String label, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return Files.writeString(file, "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n",
        StandardCharsets.US_ASCII);
  }

  private static byte[] name(String commonName) {
    byte[] attribute = sequence(oid(COMMON_NAME), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)));
    return sequence(tlv(0x31, attribute));
  }

  private static byte[] extension(String oid, byte[] value) {
    return sequence(oid(oid), tlv(0x04, value));
  }

  private static byte[] ipv4(String address) {
    String[] parts = address.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return bytes;
  }

  private static byte[] utcTime(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] bitString(byte[] bits) {
    byte[] content = new byte[bits.length + 1];
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(0x03, content);
  }

  private static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * Integer.parseInt(arcs[0]) + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return tlv(0x30, out.toByteArray());
  }

  /** Tag, definite length (short or long form), content. */
  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}

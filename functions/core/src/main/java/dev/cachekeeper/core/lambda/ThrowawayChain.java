package dev.cachekeeper.core.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A two-certificate chain made in memory for priming's in-memory handshake: an EC root and an RSA 2048 leaf for
 * {@link #HOST} that it signs, like the RSA leaf an AWS endpoint presents under a root the client trusts. The JDK
 * has no public API to make a certificate, so the DER is written here; only the fields a TLS client reads are
 * present. The keys live in memory for the one handshake and are trusted by nothing else: the client side trusts
 * the root through a trust store of its own, never the JVM's.
 */
record ThrowawayChain(X509Certificate root, X509Certificate leaf, PrivateKey leafKey) {
    /** The name the leaf is issued for; {@code .invalid} never resolves (RFC 6761). */
    static final String HOST = "priming.invalid";

    private static final byte[] SHA256_WITH_ECDSA = {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final byte[] BASIC_CONSTRAINTS = {0x06, 0x03, 0x55, 0x1D, 0x13};
    private static final byte[] SUBJECT_ALT_NAME = {0x06, 0x03, 0x55, 0x1D, 0x11};
    private static final byte[] TRUE = {0x01, 0x01, (byte) 0xFF};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    static ThrowawayChain create() throws GeneralSecurityException {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair rootKeys = ec.generateKeyPair();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair leafKeys = rsa.generateKeyPair();
        Instant now = Instant.now();
        byte[] rootName = name("cachekeeper priming root");
        byte[] caTrue = extension(BASIC_CONSTRAINTS, true, der(0x30, TRUE));
        X509Certificate root = sign(tbs(1, rootName, rootName, now, rootKeys, caTrue), rootKeys.getPrivate());
        byte[] dnsName = der(0x30, der(0x82, HOST.getBytes(StandardCharsets.US_ASCII)));
        X509Certificate leaf = sign(tbs(2, rootName, name(HOST), now, leafKeys,
                extension(SUBJECT_ALT_NAME, false, dnsName)), rootKeys.getPrivate());
        return new ThrowawayChain(root, leaf, leafKeys.getPrivate());
    }

    private static byte[] tbs(long serial, byte[] issuer, byte[] subject, Instant now, KeyPair keys,
                              byte[] extension) {
        byte[] validity = der(0x30, utcTime(now.minusSeconds(3600)), utcTime(now.plusSeconds(86_400)));
        return der(0x30,
                der(0xA0, der(0x02, new byte[] {2})), // v3, for the extensions
                der(0x02, BigInteger.valueOf(serial).toByteArray()),
                der(0x30, SHA256_WITH_ECDSA),
                issuer, validity, subject,
                keys.getPublic().getEncoded(),
                der(0xA3, der(0x30, extension)));
    }

    private static X509Certificate sign(byte[] tbs, PrivateKey issuerKey) throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(issuerKey);
        s.update(tbs);
        byte[] signature = s.sign();
        byte[] bits = new byte[signature.length + 1]; // a leading 0: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] certificate = der(0x30, tbs, der(0x30, SHA256_WITH_ECDSA), der(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] name(String commonName) {
        return der(0x30, der(0x31, der(0x30, COMMON_NAME, der(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] extension(byte[] oid, boolean critical, byte[] value) {
        return critical
                ? der(0x30, oid, TRUE, der(0x04, value))
                : der(0x30, oid, der(0x04, value));
    }

    private static byte[] utcTime(Instant t) {
        return der(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** One DER element: its tag, its definite length, then the parts' bytes. */
    static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}

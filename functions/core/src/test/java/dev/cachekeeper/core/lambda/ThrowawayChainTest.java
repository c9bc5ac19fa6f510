package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ThrowawayChainTest {
    private static ThrowawayChain CHAIN;

    @BeforeAll
    static void makeChain() throws Exception {
        CHAIN = ThrowawayChain.create();
    }

    @Test
    void theLeafIsAnRsaServerCertificateForThePrimingHostSignedByTheRoot() throws Exception {
        X509Certificate leaf = CHAIN.leaf();
        leaf.checkValidity();
        leaf.verify(CHAIN.root().getPublicKey());
        assertEquals(2048, ((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength(),
                "an RSA 2048 leaf, as AWS endpoints present");
        assertEquals(List.of(List.of(2, "priming.invalid")), List.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals(-1, leaf.getBasicConstraints(), "the leaf is not a CA");
        assertEquals(leaf.getIssuerX500Principal(), CHAIN.root().getSubjectX500Principal());
    }

    @Test
    void theRootIsASelfSignedCa() throws Exception {
        X509Certificate root = CHAIN.root();
        root.verify(root.getPublicKey());
        assertTrue(root.getBasicConstraints() >= 0, "basic constraints say CA");
        assertTrue(root.getCriticalExtensionOIDs().contains("2.5.29.19"));
    }

    @Test
    void theJvmsOwnTrustStoreTrustsNeitherCertificate() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        X509TrustManager jvm = (X509TrustManager) tmf.getTrustManagers()[0];

        assertThrows(CertificateException.class,
                () -> jvm.checkServerTrusted(new X509Certificate[] {CHAIN.leaf(), CHAIN.root()}, "RSA"));
    }

    @Test
    void eachChainHasItsOwnKeys() throws Exception {
        ThrowawayChain other = ThrowawayChain.create();

        assertTrue(!CHAIN.root().getPublicKey().equals(other.root().getPublicKey())
                && !CHAIN.leaf().getPublicKey().equals(other.leaf().getPublicKey()));
    }

    @Test
    void derLengthsUseTheLongFormFrom128Bytes() {
        assertArrayEquals(new byte[] {0x04, 0x02, 1, 2}, ThrowawayChain.der(0x04, new byte[] {1, 2}));
        byte[] long200 = ThrowawayChain.der(0x04, new byte[200]);
        assertArrayEquals(new byte[] {0x04, (byte) 0x81, (byte) 200}, java.util.Arrays.copyOf(long200, 3));
        assertEquals(203, long200.length);
        byte[] long300 = ThrowawayChain.der(0x30, new byte[300]);
        assertArrayEquals(new byte[] {0x30, (byte) 0x82, 0x01, 0x2C}, java.util.Arrays.copyOf(long300, 4));
        assertEquals(304, long300.length);
    }
}

package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsWarmUpTest {
    @Test
    void runsAHandshakeWithNoNetwork() throws Exception {
        TlsWarmUp.Result r = TlsWarmUp.run();

        // A TLS 1.3 ClientHello with two key shares, cipher suites and extensions: some hundreds of bytes.
        assertTrue(r.clientHelloBytes() > 200, "a ClientHello was produced: " + r);
        assertEquals(List.of("x25519", "secp256r1"), r.keyAgreements());
        assertEquals(List.of("EC", "RSA"), r.certificatesChecked().stream().sorted().toList(),
                "a root of each key type AWS endpoints use was verified from the JVM's trust store");
        assertEquals("TLSv1.3", r.handshake().protocol(), "a whole handshake, in memory: " + r.handshake());
        assertTrue(r.handshake().cipherSuite().startsWith("TLS_AES_"), r.handshake().cipherSuite());
        // Then a request and its answer, sealed by one engine and opened by the other.
        assertEquals(41, r.handshake().requestBytes());
        assertEquals(38, r.handshake().responseBytes());
    }
}

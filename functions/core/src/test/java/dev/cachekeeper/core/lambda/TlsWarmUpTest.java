package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsWarmUpTest {
    @Test
    void runsTheClientSideOfAHandshakeWithNoServer() throws Exception {
        TlsWarmUp.Result r = TlsWarmUp.run();

        // A TLS 1.3 ClientHello with two key shares, cipher suites and extensions: some hundreds of bytes.
        assertTrue(r.clientHelloBytes() > 200, "a ClientHello was produced: " + r);
        assertEquals(List.of("x25519", "secp256r1"), r.keyAgreements());
        assertEquals(List.of("EC", "RSA"), r.certificatesChecked().stream().sorted().toList(),
                "a root of each key type AWS endpoints use was verified from the JVM's trust store");
    }
}

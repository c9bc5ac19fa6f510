package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The warm-up's handshake checks what a real one does, so it runs the same checking code. */
class InMemoryHandshakeTest {
    private static ThrowawayChain CHAIN;

    @BeforeAll
    static void makeChain() throws Exception {
        CHAIN = ThrowawayChain.create();
    }

    @Test
    void completesWhenTheClientTrustsTheRootAndTheNameMatches() throws Exception {
        InMemoryHandshake.Result r = InMemoryHandshake.run(CHAIN, CHAIN.root(), ThrowawayChain.HOST);

        assertEquals("TLSv1.3", r.protocol());
        assertEquals(41, r.requestBytes());
        assertEquals(38, r.responseBytes());
    }

    @Test
    void failsWhenTheLeafIsForAnotherHost() {
        assertThrows(SSLException.class, () -> InMemoryHandshake.run(CHAIN, CHAIN.root(), "elsewhere.invalid"));
    }

    @Test
    void failsWhenTheClientTrustsAnotherRoot() throws Exception {
        ThrowawayChain other = ThrowawayChain.create();

        assertThrows(SSLException.class, () -> InMemoryHandshake.run(CHAIN, other.root(), ThrowawayChain.HOST));
    }
}

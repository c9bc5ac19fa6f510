package dev.cachekeeper.core.lambda;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A whole TLS handshake between a client and a server engine in the same process, then one record each way, so
 * the parts of a handshake a client-only warm-up cannot reach run before the snapshot: the server's answer decoded,
 * the handshake keys derived, the certificate and its signature checked, the chain validated by the JVM's PKIX
 * trust manager (over a trust store holding only the throwaway root) with host-name checking, as the SDK's HTTPS
 * connections are, and records sealed and opened. No socket is opened; the bytes go from one engine's buffer to the
 * other's. The certificates are a {@link ThrowawayChain}; the client trusts its root through a context of its own,
 * and both contexts are dropped.
 */
public final class InMemoryHandshake {
    /** What was negotiated, for priming's report. */
    public record Result(String protocol, String cipherSuite, int requestBytes, int responseBytes) {
    }

    private static final byte[] REQUEST = ("GET / HTTP/1.1\r\nHost: " + ThrowawayChain.HOST + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    // Far more than a TLS 1.3 handshake takes (a few flights); a bug here must not hang priming.
    private static final int MAX_STEPS = 100;

    private InMemoryHandshake() {
    }

    static Result run() throws GeneralSecurityException, java.io.IOException {
        ThrowawayChain chain = ThrowawayChain.create();
        return run(chain, chain.root(), ThrowawayChain.HOST);
    }

    /** The server presents {@code chain}; the client trusts only {@code trustedRoot} and expects {@code host}. */
    static Result run(ThrowawayChain chain, X509Certificate trustedRoot, String host)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("root", trustedRoot);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(new javax.net.ssl.KeyManager[] {new LeafKey(chain)}, null, null);

        SSLEngine client = clientContext.createSSLEngine(host, 443);
        client.setUseClientMode(true);
        SSLParameters params = client.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(params);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);

        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(packet);
        ByteBuffer toClient = ByteBuffer.allocate(packet);
        ByteBuffer request = ByteBuffer.wrap(REQUEST);
        ByteBuffer response = ByteBuffer.wrap(RESPONSE);
        ByteBuffer serverRead = ByteBuffer.allocate(app);
        ByteBuffer clientRead = ByteBuffer.allocate(app);
        for (int step = 0; serverRead.position() < REQUEST.length || clientRead.position() < RESPONSE.length; step++) {
            if (step == MAX_STEPS) {
                throw new SSLException("in-memory handshake unfinished after " + MAX_STEPS + " steps: client "
                        + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
            }
            settle(client, client.wrap(request, toServer));
            // The server answers only once the request has arrived, as a real one does.
            settle(server, server.wrap(serverRead.position() < REQUEST.length ? ByteBuffer.allocate(0) : response,
                    toClient));
            toServer.flip();
            toClient.flip();
            settle(server, server.unwrap(toServer, serverRead));
            settle(client, client.unwrap(toClient, clientRead));
            toServer.compact();
            toClient.compact();
        }
        return new Result(client.getSession().getProtocol(), client.getSession().getCipherSuite(),
                serverRead.position(), clientRead.position());
    }

    /** The engine's delegated work (key generation, certificate checks) runs here, on priming's thread. */
    private static void settle(SSLEngine engine, SSLEngineResult result) throws SSLException {
        if (result.getStatus() == SSLEngineResult.Status.CLOSED
                || result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("in-memory handshake: " + result);
        }
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    /** The server's one identity: the throwaway leaf and its key. */
    private static final class LeafKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "leaf";
        private final ThrowawayChain chain;

        LeafKey(ThrowawayChain chain) {
            this.chain = chain;
        }

        /** The leaf's alias when the handshake asks for a key of the leaf's type (RSA), else none. */
        private String aliasFor(String keyType) {
            return keyType.equals(chain.leafKey().getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String alias = aliasFor(keyType);
            return alias == null ? null : new String[] {alias};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? new X509Certificate[] {chain.leaf(), chain.root()} : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? chain.leafKey() : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}

package dev.cachekeeper.core.lambda;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Priming's TLS step. The warm-up's AWS requests are answered in memory or stopped, never sent, so they never reach
 * TLS; yet the first request after a SnapStart restore opens a connection whose handshake would run its key exchange
 * and certificate checks in code that has never run (about 110 ms on a fresh JVM, 25 ms after this step, in a probe
 * against a local server). This runs, without any network: the client's first handshake message (with its key
 * shares) from the JVM's default context, the key agreements the JVM offers first (x25519 and secp256r1, JSSE's
 * defaults), the signature check and trust-manager validation of an RSA and an EC root certificate from the JVM's
 * own trust store, and then a whole handshake and one record each way between two engines in memory
 * ({@link InMemoryHandshake}), which reaches what the client's first message alone does not. Nothing is sent and
 * nothing it makes is kept; the keys are thrown away.
 */
public final class TlsWarmUp {
    /**
     * What was exercised: the ClientHello's size, the key agreements done, the root key types checked, what the
     * in-memory handshake negotiated.
     */
    public record Result(int clientHelloBytes, List<String> keyAgreements, List<String> certificatesChecked,
                         InMemoryHandshake.Result handshake) {
    }

    private TlsWarmUp() {
    }

    public static Result run() throws GeneralSecurityException, java.io.IOException {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(ThrowawayChain.HOST, 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), hello);
        engine.closeOutbound();

        List<String> agreed = new ArrayList<>();
        agree("X25519", "XDH", null);
        agreed.add("x25519");
        agree("EC", "ECDH", new ECGenParameterSpec("secp256r1"));
        agreed.add("secp256r1");

        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<String> checked = new ArrayList<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                for (X509Certificate root : x509.getAcceptedIssuers()) {
                    String type = root.getPublicKey().getAlgorithm();
                    if ((type.equals("RSA") || type.equals("EC")) && !checked.contains(type) && check(x509, root)) {
                        checked.add(type);
                    }
                }
            }
        }
        return new Result(hello.position(), List.copyOf(agreed), List.copyOf(checked), InMemoryHandshake.run());
    }

    private static void agree(String keyType, String agreement, ECGenParameterSpec curve)
            throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType);
        if (curve != null) {
            generator.initialize(curve);
        }
        KeyPair ours = generator.generateKeyPair();
        KeyPair theirs = generator.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance(agreement);
        ka.init(ours.getPrivate());
        ka.doPhase(theirs.getPublic(), true);
        ka.generateSecret();
    }

    /** A self-signed root that is valid today: its signature checked, then validated as a server would be. */
    private static boolean check(X509TrustManager tm, X509Certificate root) {
        try {
            root.checkValidity();
            root.verify(root.getPublicKey());
            tm.checkServerTrusted(new X509Certificate[] {root}, root.getPublicKey().getAlgorithm());
            return true;
        } catch (GeneralSecurityException e) {
            return false; // expired or cross-signed: try the next one
        }
    }
}

package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS for the local AWS endpoint, so a cold start pays for it as it does against AWS: Java's TLS handshake and
 * certificate check, Python's SSL context. A self-signed certificate for 127.0.0.1 is made with the JDK's
 * {@code keytool}, and each side trusts it through a trust store the size of the one it uses in production: the
 * JVM's {@code cacerts} plus this certificate for Java, the system's CA bundle plus this certificate for Python.
 */
final class LocalTls {
    private static final String PASSWORD = "changeit";
    private static final Path SYSTEM_CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

    private final SSLContext serverContext;
    private final Path javaTrustStore;
    private final Path caBundle;

    private LocalTls(SSLContext serverContext, Path javaTrustStore, Path caBundle) {
        this.serverContext = serverContext;
        this.javaTrustStore = javaTrustStore;
        this.caBundle = caBundle;
    }

    /** A fresh certificate and the two trust stores, in {@code dir}; {@code javaHome} provides keytool and cacerts. */
    static LocalTls create(Path dir, Path javaHome) throws IOException {
        Files.createDirectories(dir);
        Path keytool = javaHome.resolve("bin/keytool");
        Path serverStore = dir.resolve("endpoint.p12");
        Path cert = dir.resolve("endpoint.pem");
        Path trustStore = dir.resolve("java-truststore");
        Path bundle = dir.resolve("ca-bundle.pem");
        Files.deleteIfExists(serverStore);
        // RSA 2048, as AWS's own endpoint certificates are.
        keytool(keytool, "-genkeypair", "-alias", "endpoint", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(keytool, "-exportcert", "-rfc", "-alias", "endpoint", "-keystore", serverStore.toString(),
                "-storepass", PASSWORD, "-file", cert.toString());
        Files.copy(javaHome.resolve("lib/security/cacerts"), trustStore, StandardCopyOption.REPLACE_EXISTING);
        trustStore.toFile().setWritable(true);
        keytool(keytool, "-importcert", "-noprompt", "-alias", "cachekeeper-benchmark-endpoint",
                "-file", cert.toString(), "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        String system = Files.exists(SYSTEM_CA_BUNDLE) ? Files.readString(SYSTEM_CA_BUNDLE) : "";
        Files.writeString(bundle, system + (system.endsWith("\n") || system.isEmpty() ? "" : "\n")
                + Files.readString(cert));
        return new LocalTls(serverContext(serverStore), trustStore, bundle);
    }

    SSLContext serverContext() {
        return serverContext;
    }

    /** What a Java subject's command line adds so its JVM trusts the endpoint. */
    List<String> javaFlags() {
        return List.of("-Djavax.net.ssl.trustStore=" + javaTrustStore,
                "-Djavax.net.ssl.trustStorePassword=" + PASSWORD);
    }

    /** The PEM bundle for {@code AWS_CA_BUNDLE} (boto3). */
    Path caBundle() {
        return caBundle;
    }

    private static SSLContext serverContext(Path store) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("could not load the endpoint's key from " + store, e);
        }
    }

    private static void keytool(Path keytool, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}

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
 * certificate path check, Python's SSL context. A root, an intermediate and a certificate for 127.0.0.1 are made
 * with the JDK's {@code keytool}, and each side trusts the root through a trust store the size of the one it uses in
 * production: the JVM's {@code cacerts} plus the root for Java, the system's CA bundle plus the root for Python.
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

    /** A fresh chain and both trust stores in {@code dir}, made with {@code javaHome}'s keytool and cacerts. */
    static LocalTls create(Path dir, Path javaHome) throws IOException {
        Files.createDirectories(dir);
        String keytool = javaHome.resolve("bin/keytool").toString();
        String ca = dir.resolve("ca.p12").toString();
        String server = dir.resolve("endpoint.p12").toString();
        Path root = dir.resolve("root.pem");
        Path trustStore = dir.resolve("java-truststore");
        Path bundle = dir.resolve("ca-bundle.pem");
        Files.deleteIfExists(Path.of(ca));
        Files.deleteIfExists(Path.of(server));
        // A chain of three as AWS endpoints present one (leaf, intermediate, root), RSA 2048 as theirs are: the
        // client builds and checks the whole path against its trust store, as it does against AWS.
        keytool(keytool, "-genkeypair", "-alias", "root", "-dname", "CN=cachekeeper benchmark root", "-ext", "bc:c",
                "-keystore", ca, "-storetype", "PKCS12");
        keytool(keytool, "-exportcert", "-rfc", "-alias", "root", "-keystore", ca, "-file", root.toString());
        keytool(keytool, "-genkeypair", "-alias", "intermediate", "-dname", "CN=cachekeeper benchmark intermediate",
                "-keystore", ca);
        Path intermediateRequest = dir.resolve("intermediate.csr");
        Path intermediate = dir.resolve("intermediate.pem");
        keytool(keytool, "-certreq", "-alias", "intermediate", "-keystore", ca,
                "-file", intermediateRequest.toString());
        keytool(keytool, "-gencert", "-alias", "root", "-keystore", ca, "-infile", intermediateRequest.toString(),
                "-outfile", intermediate.toString(), "-rfc", "-ext", "bc:c=ca:true,pathlen:0",
                "-ext", "ku:c=keyCertSign,cRLSign");
        keytool(keytool, "-genkeypair", "-alias", "endpoint", "-dname", "CN=127.0.0.1", "-keystore", server,
                "-storetype", "PKCS12");
        Path leafRequest = dir.resolve("endpoint.csr");
        Path leaf = dir.resolve("endpoint.pem");
        keytool(keytool, "-certreq", "-alias", "endpoint", "-keystore", server, "-file", leafRequest.toString());
        keytool(keytool, "-gencert", "-alias", "intermediate", "-keystore", ca, "-infile", leafRequest.toString(),
                "-outfile", leaf.toString(), "-rfc", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-ext", "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth");
        keytool(keytool, "-importcert", "-noprompt", "-alias", "root", "-file", root.toString(), "-keystore", server);
        keytool(keytool, "-importcert", "-noprompt", "-alias", "intermediate", "-file", intermediate.toString(),
                "-keystore", server);
        keytool(keytool, "-importcert", "-alias", "endpoint", "-file", leaf.toString(), "-keystore", server);

        Files.copy(javaHome.resolve("lib/security/cacerts"), trustStore, StandardCopyOption.REPLACE_EXISTING);
        trustStore.toFile().setWritable(true);
        keytool(keytool, "-importcert", "-noprompt", "-alias", "cachekeeper-benchmark-root",
                "-file", root.toString(), "-keystore", trustStore.toString());
        String system = Files.exists(SYSTEM_CA_BUNDLE) ? Files.readString(SYSTEM_CA_BUNDLE) : "";
        Files.writeString(bundle, system + (system.endsWith("\n") || system.isEmpty() ? "" : "\n")
                + Files.readString(root));
        return new LocalTls(serverContext(Path.of(server)), trustStore, bundle);
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

    /** One keytool command; every key is RSA 2048, every certificate valid for two days. */
    private static void keytool(String keytool, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(keytool));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASSWORD));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keyalg", "RSA", "-keysize", "2048", "-validity", "2"));
        } else if (args[0].equals("-gencert")) {
            cmd.addAll(List.of("-validity", "2"));
        }
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

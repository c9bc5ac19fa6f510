package dev.cachekeeper.restore.verify;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} (Debian package; .ci/run installs it) on a free loopback port, without persistence.
 * Absent redis-server skips the test with a message on a developer machine, and FAILS it in CI (env CI set).
 */
public final class LocalRedis implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String password;

    private LocalRedis(Process process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
    }

    public static LocalRedis start() {
        return start(null);
    }

    /** With {@code requirepass} when a password is given. */
    public static LocalRedis start(String password) {
        Path exe = find();
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new LocalRedis(p, port, password);
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("redis-server did not open port " + port + " within 10 s");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + exe + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path sbin = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(sbin)) {
            return sbin;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            throw new IllegalStateException("redis-server is not installed, and CI is set: the verifier tests must "
                    + "run in CI (apt-get install -y redis-server; .ci/run does it)");
        }
        Assumptions.abort("redis-server is not installed: skipping the tests against a real Redis "
                + "(apt-get install -y redis-server to run them; in CI they fail instead)");
        throw new AssertionError("unreachable");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public HostAndPort address() {
        return new HostAndPort("127.0.0.1", port);
    }

    /** Loads string keys (SET) as a snapshot restore would have them. */
    public LocalRedis load(Map<String, String> keys) {
        try (Jedis jedis = client()) {
            keys.forEach(jedis::set);
        }
        return this;
    }

    public Jedis client() {
        return new Jedis(address(), DefaultJedisClientConfig.builder().password(password).build());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

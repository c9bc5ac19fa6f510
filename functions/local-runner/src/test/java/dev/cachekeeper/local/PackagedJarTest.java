package dev.cachekeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar itself, as the README runs it (this test runs in the package phase, after the shade plugin):
 * the report on stdout is clean JSON, and the handlers' JSON logs (log4j plugins merged) are on stderr.
 */
class PackagedJarTest {
    @Test
    void theJarRunsInvokeWithJsonOnStdoutAndJsonLogsOnStderr() throws Exception {
        Path root = Samples.CHECKOUT.root();
        Path jar = root.resolve("functions/local-runner/target/cachekeeper-local.jar");
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "invoke", "FailoverObserverFunction",
                "--event", "events/cachekeeper-failover-completed.json")
                .directory(root.toFile()).start();
        p.getOutputStream().close();
        var stdout = p.getInputStream().readAllBytes();
        var stderr = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = new String(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        JsonNode report = Json.MAPPER.readTree(stdout);
        assertEquals("FailoverObserverFunction", report.path("function").asText());
        assertEquals(1, report.path("alerts").size(), report.toString());
        List<String> logs = err.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(!logs.isEmpty(), "no logs on stderr");
        for (String line : logs) {
            JsonNode record = Json.MAPPER.readTree(line);
            assertTrue(record.has("level") && record.has("message"), "not a JSON log record: " + line);
        }
    }

    @Test
    void theJarSaysWhatIsWrongOutsideACheckout() throws Exception {
        Path jar = Samples.CHECKOUT.root().resolve("functions/local-runner/target/cachekeeper-local.jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path elsewhere = Files.createTempDirectory("not-a-checkout");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "demo").directory(elsewhere.toFile())
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(err.strip().startsWith("cachekeeper-local: no cachekeeper checkout"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }
}

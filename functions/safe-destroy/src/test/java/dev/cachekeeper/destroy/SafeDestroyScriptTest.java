package dev.cachekeeper.destroy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.CacheKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/safe-destroy.sh (the Terraform destroy-time provisioner's command) against a fake aws on PATH. */
class SafeDestroyScriptTest {
    static final Path SCRIPT = Path.of("../../scripts/safe-destroy.sh");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path aws = bin.resolve("aws");
        try (var in = getClass().getResourceAsStream("/fake-aws/aws")) {
            Files.write(aws, in.readAllBytes());
        }
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_AWS_DIR", dir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script hung");
        return new Run(p.exitValue(), out, err);
    }

    static String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("--bus", "cachekeeper-prod", "--state-machine-arn",
                "arn:aws:states:eu-west-1:123456789012:stateMachine:cachekeeper-safe-destroy-prod",
                "--kind", "replication-group", "--id", "orders-cache", "--requester", "terraform",
                "--reason", "env \"staging\" torn down\\ today", "--poll", "0"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void sendsAValidRequestAndWaitsForTheExecutionToSucceed() throws Exception {
        Run r = run(Map.of(), args("--delete", "--final-snapshot"));

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("cachekeeper-pre-destroy-orders-cache"), r.out());
        assertTrue(r.err().contains("execution:sd:ours"), r.err());
        // the event it sent passes the function's own validation, quotes and backslash included
        JsonNode entry = Json.MAPPER.readTree(Files.readString(dir.resolve("entries.json"))).get(0);
        assertEquals("cachekeeper.request", entry.get("Source").asText());
        assertEquals("Cache Destroy Requested", entry.get("DetailType").asText());
        assertEquals("cachekeeper-prod", entry.get("EventBusName").asText());
        JsonNode envelope = BusEvent.envelope(entry.get("DetailType").asText(), entry.get("Source").asText(),
                Instant.now(), Json.MAPPER.readTree(entry.get("Detail").asText()));
        DestroyRequest request = DestroyRequest.fromEvent(envelope);
        assertEquals(CacheKind.REPLICATION_GROUP, request.cacheKind());
        assertEquals("env \"staging\" torn down\\ today", request.reason());
        assertTrue(request.deleteAfterSnapshot() && request.finalSnapshot());
    }

    @Test
    void aFailedFlowFailsTheScriptWithItsReason() throws Exception {
        Run r = run(Map.of("FAKE_FINAL_STATUS", "FAILED"), args());

        assertEquals(1, r.exit());
        assertTrue(r.err().contains("FAILED: CacheNotAvailable: replication-group 'orders-cache' is modifying"),
                r.err());
    }

    @Test
    void aRefusedPutEventsStopsAtOnce() throws Exception {
        Run r = run(Map.of("FAKE_PUT_ERROR", "NotAuthorizedForSourceException"), args());

        assertEquals(3, r.exit());
        assertTrue(r.err().contains("NotAuthorizedForSourceException"), r.err());
        assertTrue(!Files.readString(dir.resolve("calls")).contains("stepfunctions"));
    }

    @Test
    void waitingHasATimeLimit() throws Exception {
        Run r = run(Map.of("FAKE_RUNNING_POLLS", "100000"), args("--timeout", "1", "--poll", "1"));

        assertEquals(4, r.exit(), r.err());
        assertTrue(r.err().contains("stopped waiting"), r.err());
    }

    @Test
    void badUsageNamesTheOption() throws Exception {
        Run r = run(Map.of(), "--bus", "b", "--state-machine-arn", "a", "--kind", "redis", "--id", "x",
                "--requester", "r", "--reason", "y");

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--kind must be"), r.err());
    }
}

package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cold_start} field of the Lambda JSON layout, as a user charting cold starts reads it: true on every
 * record of the first invocation of a fresh execution environment, false afterwards, and SnapStart priming's
 * warm-up before the snapshot does not spend it.
 *
 * <p>The flag is static (one per JVM, as one per execution environment). {@link Invocations#resetColdStart()}
 * gives each test a fresh environment; Powertools' own static cold-start state is not reset and need not be:
 * the field no longer depends on it.
 */
class ColdStartLoggingTest {
    private static final Logger LOG = LoggerFactory.getLogger(ColdStartLoggingTest.class);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private JsonLogs logs;

    @BeforeEach
    void freshEnvironmentAndCapturedLogs() {
        Invocations.resetColdStart();
        logs = new JsonLogs();
    }

    @AfterEach
    void stopCapture() {
        logs.close();
    }

    @Test
    void firstInvocationLogsColdStartTrueAndTheNextFalse() {
        invoke("first", 2);
        invoke("second", 1);

        assertEquals(List.of("first 1 cold_start=true", "first 2 cold_start=true", "second 1 cold_start=false"),
                records(), logs.text());
    }

    @Test
    void primingWarmUpBeforeTheSnapshotLeavesTheColdStartToTheFirstRealInvocation() {
        AtomicInteger warmUps = new AtomicInteger();
        Priming priming = Priming.register(() -> {
            warmUps.incrementAndGet();
            invoke("warm-up", 1);
        });
        priming.beforeCheckpoint(null);
        // After the restore:
        invoke("first", 1);
        invoke("second", 1);

        assertEquals(1, warmUps.get(), "the warm-up ran through Invocations.run");
        assertEquals(List.of("first 1 cold_start=true", "second 1 cold_start=false"),
                records().stream().filter(r -> !r.startsWith("prim")).toList(), logs.text());
    }

    private void invoke(String name, int records) {
        Invocations.run(new LocalContext("ColdStartFunction"), metrics, () -> {
            for (int i = 1; i <= records; i++) {
                LOG.info("{} {}", name, i);
            }
            return null;
        });
    }

    /** Each captured record as {@code "<message> cold_start=<field>"}. */
    private List<String> records() {
        List<String> records = new ArrayList<>();
        for (String line : logs.text().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode r = Json.MAPPER.readTree(line);
                records.add(r.path("message").asText() + " cold_start=" + r.path("cold_start").asText("absent"));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return records;
    }
}

package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cachekeeper.archive.ArchiverComponent;
import dev.cachekeeper.archive.ArchiverSettings;
import dev.cachekeeper.archive.DaggerArchiverComponent;
import dev.cachekeeper.archive.SnapshotArchiverHandler;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsClientsModule;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.SimulatedAccount;
import dev.cachekeeper.simulation.SimulatedAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The archiver's role allows every call its code makes. Its real wiring (Dagger, the account's clients) runs on the
 * simulated account: the event path, a sweep that copies (replication group, serverless cache, and a look at a
 * standalone cluster), and a sweep that prunes. Each operation the simulation recorded must be an action of the
 * function's policy statements. Resources and conditions are {@link PolicyCheck}'s and the name-guard test's.
 */
class ArchiverPermissionsTest {
    @Test
    void everyCallTheArchiverMakesIsAnActionItsRoleAllows() throws Exception {
        Path root = Path.of(System.getProperty("cachekeeper.root", "../..")).toRealPath();
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        SimulatedAws sim = SimulatedAws.fromBundledWorld("default");
        // A one-day retention and no minimum, so the second sweep prunes what the first one copied.
        SimulatedAccount account = new SimulatedAccount(sim, Map.of(
                Settings.ALERT_TOPIC_ARN, sim.sns().topic("cachekeeper-alerts"),
                ArchiverSettings.RETENTION_DAYS, "1", ArchiverSettings.MIN_COPIES, "0"));
        ArchiverComponent component = DaggerArchiverComponent.builder()
                .awsClientsModule(new AwsClientsModule(account)).build();
        SnapshotArchiverHandler handler = new SnapshotArchiverHandler(component.archiver(), component.metrics());
        LocalContext context = new LocalContext("snapshot-archiver", sim.clock(), Duration.ofMinutes(15));

        Map<String, Object> event = Json.MAPPER.readValue(Files.readString(root.resolve(
                "events/cachekeeper-snapshot-completed-node-only.json")), new TypeReference<>() { });
        assertEquals("copied", handler.handle(event, context).get("outcome"));
        Map<String, Object> first = handler.handle(Map.of("action", "sweep"), context);
        sim.advance(Duration.ofDays(3));
        Map<String, Object> second = handler.handle(Map.of("action", "sweep"),
                new LocalContext("snapshot-archiver", sim.clock(), Duration.ofMinutes(15)));
        assertTrue((Integer) first.get("copied") > 0 && (Integer) second.get("pruned") > 0, first + "\n" + second);

        Set<String> called = new TreeSet<>();
        for (ApiCall c : sim.calls()) {
            called.add(c.service() + ":" + c.operation());
        }
        assertTrue(called.contains("tag:GetResources"), called.toString());
        Set<String> allowed = PolicyCheck.allowedActions(template, "SnapshotArchiverFunction");
        Set<String> missing = new TreeSet<>(called);
        missing.removeAll(allowed);
        assertEquals(Set.of(), missing, "called but not allowed by SnapshotArchiverFunction's policies " + allowed);
    }
}

package dev.cachekeeper.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsAccount;
import dev.cachekeeper.core.aws.AwsClientsModule;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.SimulatedAccount;
import dev.cachekeeper.simulation.SimulatedAws;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;

class SnapshotArchiverHandlerTest {
    private final SimulatedAws aws = new ArchiveWorld().build();
    private final SnapshotArchiverHandler handler = new SnapshotArchiverHandler(
            ArchiveWorld.archiver(aws, ArchiveWorld.settings()), new RecordingMetrics());
    private final LocalContext context = new LocalContext("snapshot-archiver", aws.clock(), Duration.ofMinutes(15));

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Map<String, Object> invoke(Map event) {
        return handler.handle((Map<String, Object>) event, context);
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-snapshot-completed-automatic.json", type = Map.class)
    void aCompletedAutomaticSnapshotIsCopied(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("copied", out.get("outcome"));
        assertEquals("cachekeeper-archive-automatic-orders-cache-2026-11-21-04-30", out.get("copy"));
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-snapshot-completed-node-only.json", type = Map.class)
    void aNodeOnlyNotificationCopiesTheNewestSnapshot(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("automatic.orders-cache-2026-11-21-04-30", out.get("snapshot"));
        assertEquals("copied", out.get("outcome"));
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-snapshot-completed-serverless.json", type = Map.class)
    void aServerlessSnapshotIsCopied(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("copied", out.get("outcome"));
        assertEquals(1, aws.callLog().of("CopyServerlessCacheSnapshot").stream().filter(ApiCall::ok).count());
    }

    @ParameterizedTest
    @Event(value = "events/schedule-archiver-sweep.json", type = Map.class)
    void theDailyScheduleSweeps(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("sweep", out.get("action"));
        assertEquals(5, out.get("copied"));
    }

    @Test
    void anOnDemandDryRunSweepChangesNothing() {
        Map<String, Object> out = invoke(Map.of("action", "sweep", "dryRun", true));
        assertEquals(true, out.get("dryRun"));
        assertEquals(5, out.get("wouldCopy"));
        assertEquals(0, aws.callLog().mutating().size());
    }

    @Test
    void somethingElseIsRejectedWithoutSideEffects() {
        Map<String, Object> out = invoke(Map.of("detail-type", "Failover Completed", "source", "cachekeeper",
                "detail", Map.of()));
        assertEquals("rejected", out.get("outcome"));
        assertTrue(aws.callLog().calls().isEmpty());
        assertEquals("rejected", invoke(Map.of("action", "sweep", "dryRun", "perhaps")).get("outcome"));
        assertEquals("rejected", invoke(Map.of("hello", "world")).get("outcome"));
    }

    // ---- the wiring Lambda builds (Dagger), with the account swapped for the simulation ----

    @ParameterizedTest
    @Event(value = "events/cachekeeper-snapshot-completed-automatic.json", type = Map.class)
    void theTaggingClientIsBuiltOnlyWhenASweepFirstNeedsIt(Map<?, ?> completed) {
        SimulatedAws sim = new ArchiveWorld().build();
        AtomicInteger taggingClients = new AtomicInteger();
        SimulatedAccount simulated = new SimulatedAccount(sim, Map.of("CACHEKEEPER_ALERT_TOPIC_ARN",
                sim.sns().topicArn(ArchiveWorld.TOPIC)));
        AwsAccount counting = new AwsAccount() {
            @Override public Settings settings() { return simulated.settings(); }
            @Override public Clock clock() { return simulated.clock(); }
            @Override public Retrier.Sleeper sleeper() { return simulated.sleeper(); }
            @Override public ElastiCacheClient elastiCache() { return simulated.elastiCache(); }
            @Override public SnsClient sns() { return simulated.sns(); }
            @Override public EventBridgeClient eventBridge() { return simulated.eventBridge(); }
            @Override public DynamoDbClient dynamoDb() { return simulated.dynamoDb(); }
            @Override public Metrics metrics() { return simulated.metrics(); }

            @Override
            public <T> T client(Class<T> type) {
                if (type == ResourceGroupsTaggingApiClient.class) {
                    taggingClients.incrementAndGet();
                }
                return simulated.client(type);
            }
        };
        ArchiverComponent component = DaggerArchiverComponent.builder()
                .awsClientsModule(new AwsClientsModule(counting)).build();
        SnapshotArchiverHandler wired = new SnapshotArchiverHandler(component.archiver(), component.metrics());
        LocalContext ctx = new LocalContext("snapshot-archiver", sim.clock(), Duration.ofMinutes(15));

        @SuppressWarnings("unchecked")
        Map<String, Object> copied = wired.handle((Map<String, Object>) completed, ctx);
        assertEquals("copied", copied.get("outcome"));
        assertEquals(0, taggingClients.get(), "the event path reads its one cache's tags live, without it");

        wired.handle(Map.of("action", "sweep"), ctx);
        wired.handle(Map.of("action", "sweep"), ctx);
        assertEquals(1, taggingClients.get(), "built once, by the first sweep");
        assertTrue(sim.callLog().of("GetResources").size() > 0);
    }

    // ---- through the stream entry point Lambda calls: the sample's bytes in, JSON out ----

    @Test
    void theDeployedEntryPointCopiesTheCompletedSample() throws IOException {
        JsonNode out = StreamHandlers.invoke(handler, sample("cachekeeper-snapshot-completed-automatic.json"), context);
        assertEquals("copied", out.path("outcome").asText(), out.toString());
        assertEquals("cachekeeper-archive-automatic-orders-cache-2026-11-21-04-30", out.path("copy").asText());
    }

    @Test
    void theDeployedEntryPointSweepsOnTheScheduleSample() throws IOException {
        JsonNode out = StreamHandlers.invoke(handler, sample("schedule-archiver-sweep.json"), context);
        assertEquals("sweep", out.path("action").asText(), out.toString());
        assertEquals(5, out.path("copied").asInt());
    }

    @Test
    void theDeployedEntryPointRejectsInputThatIsNotJson() {
        JsonNode out = StreamHandlers.invoke(handler, "{\"action\": swe".getBytes(StandardCharsets.UTF_8), context);
        assertEquals("rejected", out.path("outcome").asText());
        assertTrue(out.path("reason").asText().contains("not a JSON object"), out.toString());
        assertTrue(aws.callLog().calls().isEmpty());
    }

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = SnapshotArchiverHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }
}

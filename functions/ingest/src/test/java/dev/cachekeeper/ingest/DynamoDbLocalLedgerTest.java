package dev.cachekeeper.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.EventBusPublisher;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.SimulatedAws;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The ledger and the de-duplication path against DynamoDB Local 2.6.1, run as its own process on its own class
 * path (functions/dynamodb-local gathers it: its SDK 2.25 dependencies cannot share our class path), reached over
 * HTTP by a real SDK client, as in Lambda. Checks what the simulation cannot vouch for: the real conditional-write
 * semantics and the item layout DynamoDB's TTL needs.
 */
class DynamoDbLocalLedgerTest {
    static Process server;
    static DynamoDbClient dynamo;
    static final String TABLE = "cachekeeper-state";

    @BeforeAll
    static void start() throws Exception {
        Path lib = Path.of(System.getProperty("dynamodb.local.lib", "../dynamodb-local/target/lib"));
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib.toAbsolutePath() + " is missing: build with -am so the reactor builds"
                    + " functions/dynamodb-local first");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Djava.library.path=" + lib.toAbsolutePath(),
                "-cp", lib.toAbsolutePath() + File.separator + "*",
                "com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                "-inMemory", "-port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("dynamodb-local", ".log").toFile())
                .start();
        waitForPort(port);
        dynamo = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        // The table as template.yaml declares it: pk (string) hash key, TTL on "ttl".
        dynamo.createTable(b -> b.tableName(TABLE)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
        dynamo.updateTimeToLive(b -> b.tableName(TABLE).timeToLiveSpecification(t -> t.attributeName("ttl")
                .enabled(true)));
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("DynamoDB Local exited with " + server.exitValue());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("DynamoDB Local did not start within 60 s");
    }

    @AfterAll
    static void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    private static EventLedger ledger(Clock clock) {
        return new EventLedger(dynamo, TABLE, clock, Retrier.standard(clock, d -> { }));
    }

    @Test
    void aKeyIsClaimedOnceUntilReleasedAndCarriesItsExpiry() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        EventLedger ledger = ledger(Clock.fixed(now, java.time.ZoneOffset.UTC));
        String key = "claim-" + System.nanoTime();

        assertTrue(ledger.claim(key, Duration.ofDays(15)));
        assertFalse(ledger.claim(key, Duration.ofDays(15)));
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(TABLE)
                .key(Map.of("pk", AttributeValue.fromS(key))).consistentRead(true)).item();
        // DynamoDB's TTL reads a Number of epoch seconds.
        assertEquals(Long.toString(now.plus(Duration.ofDays(15)).getEpochSecond()), item.get("ttl").n());
        assertEquals("ttl", dynamo.describeTimeToLive(b -> b.tableName(TABLE)).timeToLiveDescription()
                .attributeName());

        ledger.release(key);
        assertTrue(ledger.claim(key, Duration.ofDays(15)), "a released claim can be taken again");
    }

    @Test
    void marksRoundTrip() {
        EventLedger ledger = ledger(Clock.systemUTC());
        assertTrue(ledger.readMark("never-written").isEmpty());
        ledger.writeMark("describe-events-test", "2026-11-21T10:05:00Z");
        ledger.writeMark("describe-events-test", "2026-11-21T10:10:00Z");
        assertEquals("2026-11-21T10:10:00Z", ledger.readMark("describe-events-test").orElseThrow());
    }

    @Test
    void theSameFailoverFromSnsAndTheSweepIsPublishedOnce() {
        SimulatedAws aws = new SimulatedAws(SimulatedAws.DEFAULT_ACCOUNT_ID, SimulatedAws.DEFAULT_REGION,
                Instant.parse("2026-11-21T10:00:00Z"));
        Retrier retrier = Retrier.standard(aws.clock(), aws::advance);
        EventLedger ledger = new EventLedger(dynamo, TABLE, aws.clock(), retrier);
        IngestDispatcher dispatcher = IngestWiring.dispatcher(aws.elastiCache(), ledger,
                new EventBusPublisher(aws.eventBridge(), "bus", retrier, aws::advance), IngestConfig.defaults(),
                aws.clock(), retrier, new RecordingMetrics());
        String group = "ddbl-" + Long.toString(System.nanoTime(), 36);
        ledger.writeMark(DescribeEventsSweep.MARK, "2026-11-21T10:00:00Z");
        aws.advanceTo(Instant.parse("2026-11-21T10:00:41Z"));

        Tally sns = dispatcher.dispatch(IngestFixture.snsDelivery("arn:aws:sns:eu-west-1:123456789012:t",
                "{\"ElastiCache:FailoverComplete\":\"" + group + "\",\"Cache Cluster ID\":\"" + group + "-0001-002\"}",
                aws.now(), "m1").getBytes(), () -> Duration.ofMinutes(1));
        aws.elastiCache().recordEvent("cache-cluster", group + "-0001-002", "Failover from primary node " + group
                + "-0001-001 to replica node " + group + "-0001-002 completed", Instant.parse("2026-11-21T10:00:38Z"));
        aws.advanceTo(Instant.parse("2026-11-21T10:05:00Z"));
        Tally sweep = dispatcher.dispatch(IngestFixture.sample("schedule-ingest-sweep.json"), () -> Duration.ofMinutes(1));

        assertEquals(1, sns.published());
        assertEquals(0, sweep.published());
        assertEquals(1, sweep.duplicates());
        assertEquals(List.of("Failover Completed"), aws.eventBridge().putEvents().stream()
                .map(e -> e.detailType()).toList());
        assertEquals("2026-11-21T10:05:00Z", ledger.readMark(DescribeEventsSweep.MARK).orElseThrow());
    }
}

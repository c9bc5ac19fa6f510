package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsClients;
import dev.cachekeeper.core.aws.Retrier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.Snapshot;
import software.amazon.awssdk.services.sns.SnsClient;

class PrimingTest {
    private final AtomicInteger received = new AtomicInteger();
    private HttpServer server;
    private URI endpoint;
    private final Settings settings = new Settings(Map.of("AWS_REGION", "eu-west-1"));

    @BeforeEach
    void startAnEndpointThatCountsWhatReachesIt() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            received.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "secret");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void primingReadsEmptyAnswersToItsRequestsButSendsNothing() throws Exception {
        ElastiCacheClient elastiCache = AwsClients.build(ElastiCacheClient.builder().endpointOverride(endpoint),
                AwsClients.httpClient(), settings);
        DynamoDbClient dynamo = AwsClients.build(DynamoDbClient.builder().endpointOverride(endpoint),
                AwsClients.httpClient(), settings);
        SnsClient sns = AwsClients.build(SnsClient.builder().endpointOverride(endpoint), AwsClients.httpClient(),
                settings);
        int answeredBefore = PrimingHttpClient.answered();
        int stoppedBefore = PrimingInterceptor.stopped();
        List<Object> read = new ArrayList<>();
        AtomicInteger warmUps = new AtomicInteger();
        Priming priming = Priming.register(() -> {
            warmUps.incrementAndGet();
            read.add(elastiCache.describeReplicationGroups().replicationGroups());
            read.add(dynamo.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("k")))).item());
            read.add(sns.publish(b -> b.topicArn("arn:aws:sns:eu-west-1:123456789012:t").message("m")).messageId());
        });
        List<Snapshot> fromTheWorker = new ArrayList<>();
        Priming fromAWorker = Priming.register(() -> {
            // Services fan out to worker threads; their requests are answered (never sent) too.
            Thread t = new Thread(() -> fromTheWorker.addAll(elastiCache.describeSnapshots().snapshots()));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        priming.beforeCheckpoint(null);
        fromAWorker.beforeCheckpoint(null);

        assertEquals(1, warmUps.get());
        assertEquals(1, priming.runs());
        assertEquals(List.of(), read.get(0), "an ElastiCache page with nothing on it");
        assertTrue(((Map<?, ?>) read.get(1)).isEmpty(), "a DynamoDB read that found no item");
        assertNull(read.get(2), "a publish answered without a message id");
        assertEquals(List.of(), fromTheWorker);
        assertEquals(answeredBefore + 4, PrimingHttpClient.answered());
        assertEquals(stoppedBefore, PrimingInterceptor.stopped(), "every request here has an empty answer");
        assertEquals(0, received.get(), "priming must never reach AWS");
        assertEquals(List.of("x25519", "secp256r1"), Priming.tlsWarmUp().keyAgreements(),
                "the TLS handshake the answered requests never reached was warmed as well");

        // Outside priming the same clients really send.
        assertThrows(RuntimeException.class, elastiCache::describeReplicationGroups);
        assertTrue(received.get() >= 1);
    }

    @Test
    void aRequestPrimingCannotAnswerIsNeverSent() throws Exception {
        AtomicInteger delegated = new AtomicInteger();
        SdkHttpClient network = new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                delegated.incrementAndGet();
                throw new AssertionError("sent while priming: " + request.httpRequest().getUri());
            }

            @Override
            public void close() {
            }
        };
        SdkHttpClient http = PrimingHttpClient.wrap(network);
        SdkHttpRequest s3Get = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("https://bucket.s3.eu-west-1.amazonaws.com/key")).build();
        SdkHttpRequest queryWithoutAction = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("https://elasticache.eu-west-1.amazonaws.com/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();

        assertFalse(PrimingHttpClient.canAnswer(s3Get), "REST calls have no one-size empty answer");
        assertTrue(PrimingHttpClient.canAnswer(queryWithoutAction));
        List<Throwable> thrown = new ArrayList<>();
        PrimingInterceptor.during(() -> {
            for (SdkHttpRequest r : List.of(s3Get, queryWithoutAction)) {
                ExecutableHttpRequest call = http.prepareRequest(HttpExecuteRequest.builder().request(r).build());
                thrown.add(assertThrows(PrimingInterceptor.PrimingStop.class, call::call));
            }
        });

        assertEquals(2, thrown.size());
        assertEquals(0, delegated.get());
        assertTrue(PrimingHttpClient.wrap(http) == http, "wrapping twice must not stack answers");
    }

    @Test
    void backOffDoesNotWaitWhilePriming() {
        // A made-up answer can read as a failure (no event id for an entry put on the bus); retrying it must not
        // hold up the snapshot. Outside priming the same sleeper waits.
        AtomicInteger slept = new AtomicInteger();
        Priming priming = Priming.register(() -> {
            try {
                Retrier.Sleeper.REAL.sleep(Duration.ofMinutes(10));
                slept.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> priming.prime());

        assertEquals(1, slept.get(), "the warm-up went on past the back-off");
    }

    @Test
    void anEmptyAnswersShapesAreLoadedDownToTheListsMembers() {
        Set<Class<?>> seen = new HashSet<>();

        int shapes = PrimingInterceptor.loadShapes(DescribeReplicationGroupsResponse.builder(), seen);

        Set<String> names = seen.stream().map(c -> c.getName().replaceAll(".*\\.", "")).collect(Collectors.toSet());
        assertEquals(seen.size(), shapes);
        assertTrue(names.containsAll(Set.of("ReplicationGroup$BuilderImpl", "NodeGroup$BuilderImpl",
                "NodeGroupMember$BuilderImpl", "Endpoint$BuilderImpl")), "what a real page of groups holds: " + names);
    }
}

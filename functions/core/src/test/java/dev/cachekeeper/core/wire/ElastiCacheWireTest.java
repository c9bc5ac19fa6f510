package dev.cachekeeper.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.Snapshot;
import software.amazon.awssdk.services.elasticache.model.SnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.Tag;

/**
 * The real SDK v2 ElastiCache client against a local server speaking the AWS Query protocol, as the ElastiCache
 * endpoint does: form-encoded POST in, XML in the 2015-02-02 namespace out. This pins down what the in-memory
 * simulation cannot: how requests are encoded on the wire, how error codes map to exception classes, and that
 * the SDK retries throttling on its own.
 */
class ElastiCacheWireTest {
    static final String NS = "http://elasticache.amazonaws.com/doc/2015-02-02/";

    record Recorded(String method, String path, String contentType, String authorization, Map<String, String> form) {
    }

    record Canned(int status, String body) {
    }

    HttpServer server;
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    final Deque<Canned> answers = new ArrayDeque<>();
    ElastiCacheClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), form(body)));
            Canned answer;
            synchronized (answers) {
                answer = answers.isEmpty() ? new Canned(500, error("Receiver", "InternalFailure", "no canned answer"))
                        : answers.poll();
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.getResponseHeaders().add("x-amzn-RequestId", "req-" + requests.size());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        client = ElastiCacheClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void answer(int status, String body) {
        synchronized (answers) {
            answers.add(new Canned(status, body));
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    static String error(String type, String code, String message) {
        return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>err-1</RequestId></ErrorResponse>";
    }

    static String snapshotXml(String name, String group, String status) {
        return "<Snapshot><SnapshotName>" + name + "</SnapshotName><ReplicationGroupId>" + group
                + "</ReplicationGroupId><SnapshotStatus>" + status + "</SnapshotStatus>"
                + "<SnapshotSource>" + (name.startsWith("automatic.") ? "automated" : "manual") + "</SnapshotSource><Engine>valkey</Engine><EngineVersion>8.0</EngineVersion>"
                + "<CacheNodeType>cache.r7g.large</CacheNodeType><NumNodeGroups>2</NumNodeGroups>"
                + "<AutomaticFailover>enabled</AutomaticFailover><KmsKeyId>arn:aws:kms:eu-west-1:123456789012:key/k</KmsKeyId>"
                + "<ARN>arn:aws:elasticache:eu-west-1:123456789012:snapshot:" + name + "</ARN>"
                + "<NodeSnapshots>"
                + "<NodeSnapshot><NodeGroupId>0001</NodeGroupId><CacheSize>6 MB</CacheSize>"
                + "<SnapshotCreateTime>2025-03-04T05:06:07.000Z</SnapshotCreateTime></NodeSnapshot>"
                + "<NodeSnapshot><NodeGroupId>0002</NodeGroupId><CacheSize>7 MB</CacheSize>"
                + "<SnapshotCreateTime>2025-03-04T05:06:08.000Z</SnapshotCreateTime></NodeSnapshot>"
                + "</NodeSnapshots></Snapshot>";
    }

    static String describeSnapshots(String marker, String... snapshots) {
        return "<DescribeSnapshotsResponse xmlns=\"" + NS + "\"><DescribeSnapshotsResult>"
                + (marker == null ? "" : "<Marker>" + marker + "</Marker>")
                + "<Snapshots>" + String.join("", snapshots) + "</Snapshots></DescribeSnapshotsResult>"
                + "<ResponseMetadata><RequestId>d-1</RequestId></ResponseMetadata></DescribeSnapshotsResponse>";
    }

    static String createSnapshot(String name, String group) {
        return "<CreateSnapshotResponse xmlns=\"" + NS + "\"><CreateSnapshotResult>"
                + snapshotXml(name, group, "creating")
                + "</CreateSnapshotResult><ResponseMetadata><RequestId>c-1</RequestId></ResponseMetadata>"
                + "</CreateSnapshotResponse>";
    }

    @Test
    void createSnapshotIsAFormEncodedQueryRequestSignedForElastiCache() {
        answer(200, createSnapshot("ck-manual-my-rg-1", "my-rg"));

        CreateSnapshotResponse response = client.createSnapshot(r -> r
                .replicationGroupId("my-rg")
                .snapshotName("ck-manual-my-rg-1")
                .tags(Tag.builder().key("cachekeeper:managed").value("true").build(),
                        Tag.builder().key("cachekeeper:reason").value("destroy guard").build()));

        assertEquals(1, requests.size());
        Recorded request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/", request.path());
        assertTrue(request.contentType().startsWith("application/x-www-form-urlencoded"), request.contentType());
        assertTrue(request.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), request.authorization());
        assertTrue(request.authorization().contains("/eu-west-1/elasticache/aws4_request"), request.authorization());
        assertEquals(Map.of(
                "Action", "CreateSnapshot",
                "Version", "2015-02-02",
                "ReplicationGroupId", "my-rg",
                "SnapshotName", "ck-manual-my-rg-1",
                "Tags.Tag.1.Key", "cachekeeper:managed",
                "Tags.Tag.1.Value", "true",
                "Tags.Tag.2.Key", "cachekeeper:reason",
                "Tags.Tag.2.Value", "destroy guard"), request.form());

        Snapshot snapshot = response.snapshot();
        assertEquals("ck-manual-my-rg-1", snapshot.snapshotName());
        assertEquals("creating", snapshot.snapshotStatus());
    }

    @Test
    void describeSnapshotsParsesEveryFieldTheArchiverUsesIncludingTheMarker() {
        answer(200, describeSnapshots("page-2", snapshotXml("automatic.my-rg-2025-03-04-05-06", "my-rg", "available")));

        DescribeSnapshotsResponse response = client.describeSnapshots(r -> r
                .replicationGroupId("my-rg").snapshotSource("system").maxRecords(50).showNodeGroupConfig(true));

        Map<String, String> form = requests.get(0).form();
        assertEquals("DescribeSnapshots", form.get("Action"));
        assertEquals("2015-02-02", form.get("Version"));
        assertEquals("my-rg", form.get("ReplicationGroupId"));
        assertEquals("system", form.get("SnapshotSource"));
        assertEquals("50", form.get("MaxRecords"));
        assertEquals("true", form.get("ShowNodeGroupConfig"));

        assertEquals("page-2", response.marker());
        assertEquals(1, response.snapshots().size());
        Snapshot s = response.snapshots().get(0);
        assertEquals("automatic.my-rg-2025-03-04-05-06", s.snapshotName());
        assertEquals("my-rg", s.replicationGroupId());
        assertEquals("available", s.snapshotStatus());
        // The request filter says "system", the response field says "automated" (aws-notes.md).
        assertEquals("automated", s.snapshotSource());
        assertEquals("valkey", s.engine());
        assertEquals("8.0", s.engineVersion());
        assertEquals("cache.r7g.large", s.cacheNodeType());
        assertEquals(2, s.numNodeGroups());
        assertEquals("enabled", s.automaticFailoverAsString());
        assertEquals("arn:aws:kms:eu-west-1:123456789012:key/k", s.kmsKeyId());
        assertEquals("arn:aws:elasticache:eu-west-1:123456789012:snapshot:automatic.my-rg-2025-03-04-05-06", s.arn());
        assertEquals(2, s.nodeSnapshots().size());
        assertEquals("0002", s.nodeSnapshots().get(1).nodeGroupId());
        assertEquals("7 MB", s.nodeSnapshots().get(1).cacheSize());
        assertEquals(Instant.parse("2025-03-04T05:06:07Z"), s.nodeSnapshots().get(0).snapshotCreateTime());
    }

    @Test
    void thePaginatorSendsTheMarkerBackUntilThereIsNone() {
        answer(200, describeSnapshots("m-1", snapshotXml("a", "rg", "available")));
        answer(200, describeSnapshots(null, snapshotXml("b", "rg", "available")));

        List<String> names = client.describeSnapshotsPaginator(r -> r.snapshotSource("user")).snapshots().stream()
                .map(Snapshot::snapshotName).toList();

        assertEquals(List.of("a", "b"), names);
        assertEquals(2, requests.size());
        assertNull(requests.get(0).form().get("Marker"));
        assertEquals("m-1", requests.get(1).form().get("Marker"));
    }

    @Test
    void snapshotAlreadyExistsFaultBecomesItsOwnExceptionAndIsNotRetried() {
        answer(400, error("Sender", "SnapshotAlreadyExistsFault", "Snapshot with specified name already exists."));

        SnapshotAlreadyExistsException e = assertThrows(SnapshotAlreadyExistsException.class,
                () -> client.createSnapshot(r -> r.replicationGroupId("my-rg").snapshotName("dup")));

        assertEquals(400, e.statusCode());
        assertEquals("SnapshotAlreadyExistsFault", e.awsErrorDetails().errorCode());
        assertEquals("Snapshot with specified name already exists.", e.awsErrorDetails().errorMessage());
        assertEquals(1, requests.size(), "a client error is final; retrying would only repeat it");
    }

    @Test
    void throttlingIsRetriedByTheSdkAndTheSecondAnswerWins() {
        answer(400, error("Sender", "Throttling", "Rate exceeded"));
        answer(200, createSnapshot("ck-1", "my-rg"));

        CreateSnapshotResponse response = client.createSnapshot(r -> r.replicationGroupId("my-rg").snapshotName("ck-1"));

        assertEquals("ck-1", response.snapshot().snapshotName());
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).form(), requests.get(1).form(), "the retry repeats the same request");
    }
}

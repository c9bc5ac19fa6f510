package dev.cachekeeper.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS side of a cold start ({@code AWS_ENDPOINT_URL}): small, valid answers in each service's own protocol
 * (Query XML for ElastiCache and SNS, JSON for EventBridge, DynamoDB, Step Functions and the Resource Groups Tagging
 * API), so the SDK's real marshalling, signing and parsing run as they would against AWS. It measures start-up, not
 * business logic, so the answers are fixed: one healthy replication group tagged for protection, one available
 * automatic snapshot of it, no events.
 *
 * <p>It speaks HTTPS ({@link LocalTls}), and each service has its own port, as each has its own host name in AWS:
 * a function pays one TLS handshake per service it calls, as it does in Lambda. The SDKs find each port through
 * {@code AWS_ENDPOINT_URL_<SERVICE>}; {@code AWS_ENDPOINT_URL} points at a catch-all port, which counts the calls
 * no service variable routed ({@link #unrouted()}).
 */
final class CannedAwsEndpoint implements AutoCloseable {
    /** The services the functions call: the SDKs' {@code AWS_ENDPOINT_URL_<SERVICE>} suffixes. */
    static final List<String> SERVICES = List.of("ELASTICACHE", "SNS", "DYNAMODB", "EVENTBRIDGE", "SFN",
            "SECRETS_MANAGER", "RESOURCE_GROUPS_TAGGING_API");
    private static final String CATCH_ALL = "";

    private static final String EC_NS = "http://elasticache.amazonaws.com/doc/2015-02-02/";
    private static final String SNS_NS = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final Pattern DETAIL_TYPE = Pattern.compile("\"DetailType\"");

    private final LocalTls tls;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "aws-endpoint");
        t.setDaemon(true);
        return t;
    });
    /** By service suffix; the catch-all under "". */
    private final Map<String, HttpsServer> servers = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger unrouted = new AtomicInteger();

    /** The chain this process made, in the benchmark's work folder: made once, as it costs three RSA keys. */
    private static LocalTls sharedTls;

    /** With this process's certificate chain, made on first use. */
    CannedAwsEndpoint() throws IOException {
        this(sharedTls());
    }

    private static synchronized LocalTls sharedTls() throws IOException {
        if (sharedTls == null) {
            sharedTls = LocalTls.create(ColdStartBenchmark.MODULE.resolve("target/cold-start/tls"),
                    Path.of(System.getProperty("java.home")));
        }
        return sharedTls;
    }

    CannedAwsEndpoint(LocalTls tls) throws IOException {
        this.tls = tls;
        List<String> names = new ArrayList<>(SERVICES);
        names.add(CATCH_ALL);
        for (String service : names) {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            server.setExecutor(threads);
            server.createContext("/", ex -> {
                if (service.equals(CATCH_ALL)) {
                    unrouted.incrementAndGet();
                }
                handle(ex);
            });
            server.start();
            servers.put(service, server);
        }
    }

    /**
     * What a subject's environment gets: the endpoint of each service, the catch-all, and the CA bundle boto3
     * trusts. Java subjects get {@link #javaFlags()} instead of the bundle.
     */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        servers.forEach((service, server) -> env.put(service.isEmpty() ? "AWS_ENDPOINT_URL"
                : "AWS_ENDPOINT_URL_" + service, "https://127.0.0.1:" + server.getAddress().getPort()));
        env.put("AWS_CA_BUNDLE", tls.caBundle().toString());
        return env;
    }

    /** The JVM flags that make a Java subject trust the endpoint's certificate. */
    List<String> javaFlags() {
        return tls.javaFlags();
    }

    /** Calls that arrived on the catch-all port: a service whose endpoint variable is missing or misspelt. */
    int unrouted() {
        return unrouted.get();
    }

    Map<String, Integer> calls() {
        Map<String, Integer> out = new HashMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            String op = target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            send(ex, "application/x-amz-json-1.1", json(op, body));
            return;
        }
        Map<String, String> form = form(body);
        String action = form.getOrDefault("Action", "Unknown");
        calls.computeIfAbsent(action, k -> new AtomicInteger()).incrementAndGet();
        String groupId = form.get("ReplicationGroupId");
        if ("DescribeReplicationGroups".equals(action) && groupId != null && !"orders-cache".equals(groupId)) {
            // The one group this account has; any other id is not found, as a restore target should be.
            sendError(ex, 404, "ReplicationGroupNotFoundFault", "ReplicationGroup " + groupId + " not found.");
            return;
        }
        if ("DescribeSnapshots".equals(action) && "user".equals(form.get("SnapshotSource"))) {
            // The one snapshot is automatic: a listing of manual ones is empty.
            send(ex, "text/xml", "<DescribeSnapshotsResponse xmlns=\"" + EC_NS + "\"><DescribeSnapshotsResult>"
                    + "<Snapshots/></DescribeSnapshotsResult><ResponseMetadata><RequestId>bench</RequestId>"
                    + "</ResponseMetadata></DescribeSnapshotsResponse>");
            return;
        }
        boolean sns = "2010-03-31".equals(form.get("Version"));
        String ns = sns ? SNS_NS : EC_NS;
        String xml = "<" + action + "Response xmlns=\"" + ns + "\"><" + action + "Result>"
                + (sns ? snsResult(action) : elastiCacheResult(action)) + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></" + action + "Response>";
        send(ex, "text/xml", xml);
    }

    /** The one secret this account holds: an AUTH token in the JSON form Secrets Manager rotation writes. */
    static final String AUTH_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-cache-auth-AbCdEf";
    static final String AUTH_TOKEN = "canned-auth-token-for-local-redis";

    private static String json(String op, String body) {
        return switch (op) {
            case "PutEvents" -> {
                Matcher m = DETAIL_TYPE.matcher(body);
                int n = 0;
                while (m.find()) {
                    n++;
                }
                StringBuilder sb = new StringBuilder("{\"FailedEntryCount\":0,\"Entries\":[");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append("{\"EventId\":\"e").append(i).append("\"}");
                }
                yield sb.append("]}").toString();
            }
            case "StartExecution" -> "{\"executionArn\":\"arn:aws:states:eu-west-1:123456789012:execution:x:y\","
                    + "\"startDate\":1.7E9}";
            case "GetSecretValue" -> "{\"ARN\":\"" + AUTH_SECRET_ARN + "\",\"Name\":\"orders-cache-auth\","
                    + "\"SecretString\":\"{\\\"password\\\":\\\"" + AUTH_TOKEN + "\\\"}\"}";
            // ResourceGroupsTaggingAPI_20170126.GetResources: the group's tags for a type query; none for ARNs.
            case "GetResources" -> body.contains("\"ResourceARNList\"")
                    ? "{\"ResourceTagMappingList\":[],\"PaginationToken\":\"\"}"
                    : "{\"ResourceTagMappingList\":[{\"ResourceARN\":\"arn:aws:elasticache:eu-west-1:123456789012:"
                    + "replicationgroup:orders-cache\",\"Tags\":[{\"Key\":\"cachekeeper:protect\",\"Value\":"
                    + "\"true\"},{\"Key\":\"team\",\"Value\":\"orders\"}]}],\"PaginationToken\":\"\"}";
            default -> "{}";
        };
    }

    private static String snsResult(String action) {
        return "Publish".equals(action) ? "<MessageId>bench-message</MessageId>" : "";
    }

    private static String elastiCacheResult(String action) {
        return switch (action) {
            case "DescribeReplicationGroups" -> "<ReplicationGroups><ReplicationGroup>"
                    + "<ReplicationGroupId>orders-cache</ReplicationGroupId><Status>available</Status>"
                    + "<MultiAZ>enabled</MultiAZ><AutomaticFailover>enabled</AutomaticFailover>"
                    + "<ClusterEnabled>false</ClusterEnabled><Engine>valkey</Engine>"
                    + "<NodeGroups><NodeGroup><NodeGroupId>0001</NodeGroupId><Status>available</Status>"
                    + "<NodeGroupMembers>"
                    + member("orders-cache-001", "eu-west-1a", "primary")
                    + member("orders-cache-002", "eu-west-1b", "replica")
                    + "</NodeGroupMembers></NodeGroup></NodeGroups>"
                    + "<MemberClusters><ClusterId>orders-cache-001</ClusterId><ClusterId>orders-cache-002</ClusterId>"
                    + "</MemberClusters></ReplicationGroup></ReplicationGroups>";
            case "DescribeCacheClusters" -> "<CacheClusters><CacheCluster><CacheClusterId>orders-cache-001"
                    + "</CacheClusterId><ReplicationGroupId>orders-cache</ReplicationGroupId>"
                    + "<CacheClusterStatus>available</CacheClusterStatus>"
                    + "<PreferredAvailabilityZone>eu-west-1a</PreferredAvailabilityZone></CacheCluster></CacheClusters>";
            case "DescribeSnapshots" -> "<Snapshots><Snapshot><SnapshotName>automatic.orders-cache-2026-11-20-03-00"
                    + "</SnapshotName><ReplicationGroupId>orders-cache</ReplicationGroupId>"
                    + "<ARN>arn:aws:elasticache:eu-west-1:123456789012:snapshot:automatic.orders-cache-2026-11-20-03-00"
                    + "</ARN>"
                    + "<SnapshotStatus>available</SnapshotStatus><SnapshotSource>automated</SnapshotSource>"
                    + "<Engine>valkey</Engine><NumNodeGroups>1</NumNodeGroups>"
                    + "<NodeSnapshots><NodeSnapshot><NodeGroupId>0001</NodeGroupId>"
                    + "<SnapshotCreateTime>2026-11-20T03:00:00Z</SnapshotCreateTime></NodeSnapshot></NodeSnapshots>"
                    + "</Snapshot></Snapshots>";
            case "ListTagsForResource" -> "<TagList><Tag><Key>cachekeeper:protect</Key><Value>true</Value></Tag>"
                    + "</TagList>";
            case "CreateSnapshot", "CopySnapshot" -> "<Snapshot><SnapshotName>cachekeeper-bench</SnapshotName>"
                    + "<SnapshotStatus>creating</SnapshotStatus></Snapshot>";
            default -> "";
        };
    }

    private static String member(String id, String az, String role) {
        return "<NodeGroupMember><CacheClusterId>" + id + "</CacheClusterId><CacheNodeId>0001</CacheNodeId>"
                + "<PreferredAvailabilityZone>" + az + "</PreferredAvailabilityZone><CurrentRole>" + role
                + "</CurrentRole></NodeGroupMember>";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static void sendError(HttpExchange ex, int status, String code, String message) throws IOException {
        byte[] bytes = ("<ErrorResponse xmlns=\"" + EC_NS + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>bench</RequestId></ErrorResponse>")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/xml");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void send(HttpExchange ex, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amzn-RequestId", "bench");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        threads.shutdownNow();
    }
}

package dev.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.JsonLogs;
import dev.cachekeeper.simulation.ApiCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile input, delivered by the local runner to the function or state machine template.yaml
 * would give it to: EventBridge envelopes to each rule target, SNS notifications to ingest, restore inputs to the
 * planner (the restore state machine's first task) and to the restore state machine, destroy requests to the
 * safe-destroy function's first step and to the safe-destroy state machine.
 *
 * <p>Each case is a name, a target, the input and a word the refusal must contain. It passes when:
 * <ul>
 *   <li>the input changed nothing: no mutating call at all (ElastiCache, DynamoDB ledger claims, EventBridge,
 *       SNS) during the delivery; a state machine may make one, the SNS Publish that announces the refusal;</li>
 *   <li>the refusal names the problem: the handler's error, the execution's error and cause, or the functions'
 *       log records as Lambda writes them (Powertools JSON, structured fields included) contain {@code mention}
 *       (case-insensitive);</li>
 *   <li>the handler did not crash on it: a handler that throws does so with a refusal it chose
 *       (IllegalArgumentException, InvalidRestoreRequestException, ...), never NullPointerException,
 *       ClassCastException or a JSON mapping error.</li>
 * </ul>
 */
class BadInputTest {
    static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:cachekeeper-restore-local:bad-input";
    static final String HUGE = "x".repeat(300 * 1024);
    static final List<String> CRASHES = List.of("NullPointerException", "ClassCastException", "JsonMappingException",
            "MismatchedInputException", "IndexOutOfBounds", "StackOverflowError", "UnsupportedOperationException");

    record Case(String name, String target, JsonNode input, String mention) {
        @Override
        public String toString() {
            return name + " -> " + target;
        }
    }

    static Stack stack;
    static JsonLogs logs;

    @BeforeAll
    static void deploy() {
        stack = Stack.fresh();
        logs = new JsonLogs();
    }

    @AfterAll
    static void close() {
        logs.close();
    }

    // ---- inputs ----

    static ObjectNode envelope(String source, String detailType, Consumer<ObjectNode> detail) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("version", "0").put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718").put("detail-type", detailType)
                .put("source", source).put("account", "123456789012").put("time", "2026-11-21T12:00:00Z")
                .put("region", "eu-west-1").putArray("resources");
        detail.accept(e.putObject("detail"));
        return e;
    }

    /** A valid normalized detail of {@code detailType} for orders-cache, changed by {@code change}. */
    static ObjectNode ours(String detailType, Consumer<ObjectNode> change) {
        return envelope("cachekeeper", detailType, d -> {
            d.put("kind", "replication-group").put("cacheId", "orders-cache").put("time", "2026-11-21T12:00:00Z")
                    .put("message", "test").put("origin", "sns").put("dedupKey", "0123456789abcdef0123456789abcdef");
            if (detailType.startsWith("Failover")) {
                d.put("shardId", "0001");
            }
            if (detailType.startsWith("Snapshot")) {
                d.put("snapshotName", "automatic.orders-cache-2026-11-21-03-00");
            }
            change.accept(d);
        });
    }

    static ObjectNode destroy(Consumer<ObjectNode> change) {
        return envelope("cachekeeper.request", "Cache Destroy Requested", d -> {
            d.put("cacheKind", "replication-group").put("cacheId", "orders-cache").put("requester", "jane")
                    .put("reason", "bad input test").put("deleteAfterSnapshot", true);
            change.accept(d);
        });
    }

    static ObjectNode destroyStep(ObjectNode event) {
        ObjectNode in = Json.MAPPER.createObjectNode().put("action", "snapshot");
        in.set("event", event);
        return in;
    }

    static ObjectNode restoreInput(Consumer<ObjectNode> change) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("latestSnapshotOf", "orders-cache").put("targetReplicationGroupId", "orders-restored-bad").put("verify", false);
        change.accept(r);
        return r;
    }

    static ObjectNode plan(JsonNode request) {
        ObjectNode in = Json.MAPPER.createObjectNode().put("executionId", EXECUTION);
        in.set("request", request);
        return in;
    }

    static ObjectNode sns(String message) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode sns = event.putArray("Records").addObject().put("EventSource", "aws:sns").put("EventVersion", "1.0")
                .put("EventSubscriptionArn", "arn:aws:sns:eu-west-1:123456789012:cachekeeper-local-NotificationTopic:1")
                .putObject("Sns");
        sns.put("Type", "Notification").put("MessageId", "5d1b7c2e-0000-0000-0000-" + Math.abs(message.hashCode()))
                .put("TopicArn", "arn:aws:sns:eu-west-1:123456789012:cachekeeper-local-NotificationTopic")
                .put("Message", message).put("Timestamp", "2026-11-21T12:00:00.000Z");
        sns.putNull("Subject");
        return event;
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String fo = "FailoverObserverFunction";
        String ar = "SnapshotArchiverFunction";
        String au = "DestroyAuditFunction";
        String in = "IngestFunction";
        String rp = "RestorePlannerFunction";
        String sd = "SafeDestroyFunction";
        String rsm = "RestoreStateMachine";
        String sdm = "SafeDestroyStateMachine";

        // malformed EventBridge envelopes
        c.add(new Case("envelope without detail", fo, envelope("cachekeeper", "Failover Completed", d -> { }), "kind"));
        c.add(new Case("detail without kind", fo, ours("Failover Completed", d -> d.remove("kind")), "kind"));
        c.add(new Case("detail is an array", ar, json("{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"Snapshot Completed\",\"source\":\"cachekeeper\",\"time\":\"2026-11-21T12:00:00Z\",\"region\":\"eu-west-1\",\"account\":\"123456789012\",\"resources\":[],\"detail\":[1,2]}"), "detail"));
        c.add(new Case("wrong detail-type for the audit", au, ours("Failover Completed", d -> { }), "detail-type"));
        c.add(new Case("empty object to the observer", fo, json("{}"), "detail"));
        c.add(new Case("empty object to the archiver", ar, json("{}"), "EventBridge event"));
        c.add(new Case("empty object to the audit", au, json("{}"), "detail"));
        // wrong types and missing fields in the normalized detail
        c.add(new Case("kind unknown", fo, ours("Failover Completed", d -> d.put("kind", "memcached-thing")), "kind"));
        c.add(new Case("kind is a number", fo, ours("Failover Completed", d -> d.put("kind", 3)), "kind"));
        c.add(new Case("cacheId missing", fo, ours("Failover Completed", d -> d.remove("cacheId")), "cacheId"));
        c.add(new Case("cacheId is an object", ar, ours("Snapshot Completed", d -> d.putObject("cacheId").put("$ne", "")), "cacheId"));
        c.add(new Case("cacheId null", au, ours("Cache Deleted", d -> d.putNull("cacheId")), "cacheId"));
        c.add(new Case("time is not a time", fo, ours("Failover Completed", d -> d.put("time", "yesterday")), "time"));
        c.add(new Case("time is negative", au, ours("Cache Deleted", d -> d.put("time", -86400)), "time"));
        c.add(new Case("dedupKey is an array", fo, ours("Failover Completed", d -> d.putArray("dedupKey").add("a")), "dedupKey"));
        c.add(new Case("origin unknown", ar, ours("Snapshot Completed", d -> d.put("origin", "carrier-pigeon")), "origin"));
        c.add(new Case("finalSnapshotRequested is a string", au, ours("Cache Delete Called", d -> d.put("finalSnapshotRequested", "yes")), "finalSnapshotRequested"));
        c.add(new Case("attributes is a list", au, ours("Cache Deleted", d -> d.putArray("attributes").add("x")), "attributes"));
        // huge strings and hostile ids
        c.add(new Case("300 KB cacheId", fo, ours("Failover Completed", d -> d.put("cacheId", HUGE)), "cacheId"));
        c.add(new Case("300 KB snapshot name", ar, ours("Snapshot Completed", d -> d.put("snapshotName", HUGE)), "snapshotName"));
        c.add(new Case("SQL-like cacheId", au, ours("Cache Deleted", d -> d.put("cacheId", "orders; DROP TABLE caches")), "cacheId"));
        c.add(new Case("path traversal cacheId", fo, ours("Failover Completed", d -> d.put("cacheId", "../../etc/passwd")), "cacheId"));
        c.add(new Case("shell substitution cacheId", ar, ours("Snapshot Completed", d -> d.put("cacheId", "$(rm -rf /)")), "cacheId"));
        c.add(new Case("unicode lookalike cacheId", au, ours("Cache Deleted", d -> d.put("cacheId", "оrders-cache")), "cacheId"));
        c.add(new Case("newline in cacheId", fo, ours("Failover Completed", d -> d.put("cacheId", "orders\ncache")), "cacheId"));
        c.add(new Case("snapshot name with a slash", ar, ours("Snapshot Completed", d -> d.put("snapshotName", "../cachekeeper-archive-x")), "snapshotName"));
        c.add(new Case("shardId injection", fo, ours("Failover Completed", d -> d.put("shardId", "0001' OR '1'='1")), "shardId"));
        // unknown caches: refused with what was looked for, nothing changed
        c.add(new Case("unknown cache to the archiver", ar, ours("Snapshot Completed", d -> d.put("cacheId", "no-such-cache")
                .put("snapshotName", "automatic.no-such-cache-2026-11-21-03-00")), "no-such-cache"));
        c.add(new Case("unknown cache destroy", sd, destroyStep(destroy(d -> d.put("cacheId", "no-such-cache"))), "no-such-cache"));

        // SNS bodies
        c.add(new Case("SNS: empty message", in, sns(""), "message"));
        c.add(new Case("SNS: JSON array", in, sns("[1,2,3]"), "message"));
        c.add(new Case("SNS: keyed message with a hostile id", in, sns("{\"ElastiCache:FailoverComplete\": \"$(rm -rf /)\"}"), "rm -rf"));
        c.add(new Case("SNS: 300 KB message", in, sns("{\"ElastiCache:SnapshotComplete\": \"" + HUGE + "\"}"), "ElastiCache:SnapshotComplete"));
        c.add(new Case("SNS: no Records", in, json("{\"Records\": []}"), "record"));
        // EventBridge inputs to ingest
        c.add(new Case("CloudTrail call without requestParameters", in, envelope("aws.elasticache", "AWS API Call via CloudTrail",
                d -> d.put("eventSource", "elasticache.amazonaws.com").put("eventName", "DeleteReplicationGroup")
                        .put("eventTime", "2026-11-21T12:00:00Z").put("eventID", "6f0c6c5e-1111-4e0b-9a57-2d8c1e5f3b10")),
                "requestParameters"));
        c.add(new Case("CloudTrail delete of an injection-like id", in, envelope("aws.elasticache", "AWS API Call via CloudTrail",
                d -> {
                    d.put("eventSource", "elasticache.amazonaws.com").put("eventName", "DeleteReplicationGroup")
                            .put("eventTime", "2026-11-21T12:00:00Z").put("eventID", "6f0c6c5e-2222-4e0b-9a57-2d8c1e5f3b10");
                    d.putObject("requestParameters").put("replicationGroupId", "orders; DROP TABLE");
                }), "cache id"));
        c.add(new Case("serverless event without resources", in, envelope("aws.elasticache", "Snapshot Created", d -> { }), "SourceIdentifier"));

        // restore inputs, to the planner
        c.add(new Case("restore: not an object", rp, plan(json("\"orders-cache\"")), "object"));
        c.add(new Case("restore: invalid target id", rp, plan(restoreInput(r -> r.put("targetReplicationGroupId", "1-orders--restored-"))), "targetReplicationGroupId"));
        c.add(new Case("restore: target id with a slash", rp, plan(restoreInput(r -> r.put("targetReplicationGroupId", "../../etc"))), "targetReplicationGroupId"));
        c.add(new Case("restore: 300 KB target id", rp, plan(restoreInput(r -> r.put("targetReplicationGroupId", HUGE))), "targetReplicationGroupId"));
        c.add(new Case("restore: lower engine version", rp, plan(restoreInput(r -> r.putObject("overrides").put("engineVersion", "6.0"))), "engineVersion"));
        c.add(new Case("restore: both snapshot and latest", rp, plan(restoreInput(r -> r.put("snapshotName", "orders-before-migration"))), "snapshotName"));
        c.add(new Case("restore: neither snapshot nor latest", rp, plan(restoreInput(r -> r.remove("latestSnapshotOf"))), "latestSnapshotOf"));
        c.add(new Case("restore: unknown field", rp, plan(restoreInput(r -> r.put("keepOnFail", true))), "keepOnFail"));
        c.add(new Case("restore: auth token in the input", rp, plan(restoreInput(r -> r.put("authToken", "hunter2-secret-token"))), "authToken"));
        c.add(new Case("restore: secret value as secret ARN", rp, plan(restoreInput(r -> r.put("authSecretArn", "hunter2-secret-token"))), "authSecretArn"));
        c.add(new Case("restore: verify as a string", rp, plan(restoreInput(r -> r.put("verify", "yes"))), "verify"));
        c.add(new Case("restore: negative replicas", rp, plan(restoreInput(r -> r.putObject("overrides").put("replicasPerNodeGroup", -1))), "replicasPerNodeGroup"));
        c.add(new Case("restore: negative minKeys", rp, plan(restoreInput(r -> r.put("verify", true).put("minKeys", -5))), "minKeys"));
        c.add(new Case("restore: unknown source cache", rp, plan(restoreInput(r -> r.put("latestSnapshotOf", "no-such-cache"))), "no-such-cache"));
        c.add(new Case("restore: unknown snapshot", rp, plan(restoreInput(r -> {
            r.remove("latestSnapshotOf");
            r.put("snapshotName", "no-such-snapshot");
        })), "no-such-snapshot"));
        c.add(new Case("restore: our tags in overrides", rp, plan(restoreInput(r -> r.putObject("overrides").putObject("tags")
                .put("cachekeeper:restore-execution", EXECUTION))), "cachekeeper:"));
        c.add(new Case("restore: target is an existing group", rp, plan(restoreInput(r -> r.put("targetReplicationGroupId", "sessions"))), "sessions"));
        // restore inputs, through the state machine (the refusal is announced)
        c.add(new Case("restore machine: invalid types", rsm, restoreInput(r -> r.put("verify", "yes").put("minKeys", "three")), "verify"));
        c.add(new Case("restore machine: unicode lookalike target", rsm, restoreInput(r -> r.put("targetReplicationGroupId", "оrders-restored")), "targetReplicationGroupId"));

        // destroy requests, to the first step of the safe-destroy function
        c.add(new Case("destroy: missing requester", sd, destroyStep(destroy(d -> d.remove("requester"))), "requester"));
        c.add(new Case("destroy: unknown kind", sd, destroyStep(destroy(d -> d.put("cacheKind", "database"))), "cacheKind"));
        c.add(new Case("destroy: deleteAfterSnapshot as a string", sd, destroyStep(destroy(d -> d.put("deleteAfterSnapshot", "true"))), "deleteAfterSnapshot"));
        c.add(new Case("destroy: misspelt field", sd, destroyStep(destroy(d -> d.put("deleteAfterSnapshots", true))), "deleteAfterSnapshots"));
        c.add(new Case("destroy: cacheId injection", sd, destroyStep(destroy(d -> d.put("cacheId", "orders; DROP TABLE"))), "cacheId"));
        c.add(new Case("destroy: 300 KB reason", sd, destroyStep(destroy(d -> d.put("reason", HUGE))), "reason"));
        c.add(new Case("destroy: wrong source", sd, destroyStep(((ObjectNode) destroy(d -> { })).put("source", "cachekeeper")), "source"));
        c.add(new Case("destroy: a node of a group", sd, destroyStep(destroy(d -> d.put("cacheKind", "cache-cluster")
                .put("cacheId", "orders-cache-001"))), "orders-cache"));
        c.add(new Case("destroy: no event", sd, json("{\"action\": \"snapshot\"}"), "event"));
        c.add(new Case("destroy: unknown action", sd, json("{\"action\": \"delete-everything\"}"), "delete-everything"));
        // destroy requests, through the state machine
        c.add(new Case("destroy machine: requester is an object", sdm, destroy(d -> d.putObject("requester").put("arn", "x")), "requester"));
        c.add(new Case("destroy machine: path traversal id", sdm, destroy(d -> d.put("cacheId", "../../etc")), "cacheId"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithAReasonAndChangesNothing(Case c) {
        int logStart = logs.text().length();
        int callStart = stack.calls().size();
        Stack.Outcome o = stack.deliver(c.target(), c.input(), c.name());
        String logged = logs.text().substring(logStart);

        List<ApiCall> mutating = stack.mutatingSince(callStart);
        if (stack.isStateMachine(c.target())) {
            assertTrue(o.failed(), "the execution succeeded on bad input: " + o);
            mutating = mutating.stream().filter(m -> !(m.service().equals("sns") && m.operation().equals("Publish")))
                    .toList();
            assertEquals(1, o.alerts().size(), "the refusal is announced once: " + o.alerts());
        }
        assertEquals(List.of(), mutating.stream().map(m -> m.service() + ":" + m.operation() + " " + m.keyParams())
                .toList(), c.name() + ": the input changed something");

        String error = o.failed() ? o.error() : "";
        String output = o.result() != null && o.result().ok() ? withoutEcho(o.result().output()) : "";
        logged = logged.lines().map(line -> {
            try {
                return withoutEcho(Json.MAPPER.readTree(line));
            } catch (Exception notJson) {
                return line;
            }
        }).collect(java.util.stream.Collectors.joining("\n"));
        for (String crash : CRASHES) {
            assertTrue(!error.contains(crash) && !logged.contains(crash), c.name() + ": crashed with " + crash + ": "
                    + error + "\n" + tail(logged));
        }
        String said = (error + "\n" + output + "\n" + logged).toLowerCase(Locale.ROOT);
        assertTrue(said.contains(c.mention().toLowerCase(Locale.ROOT)), c.name() + ": nothing names '" + c.mention()
                + "'. Error: " + error + "\nOutput: " + tail(output) + "\nLogs: " + tail(logged));
    }

    @Test
    void aRefusedDestroysLastRecordCarriesItsErrorNameAsAField() throws Exception {
        int logStart = logs.text().length();
        Stack.Outcome o = stack.deliver("SafeDestroyStateMachine", destroy(d -> d.put("cacheId", "../../etc")),
                "refused destroy");
        assertTrue(o.failed(), "the execution succeeded on bad input: " + o);

        List<JsonNode> ended = new ArrayList<>();
        for (String line : logs.text().substring(logStart).split("\\R")) {
            if (line.contains("\"safe destroy of ") && line.contains(" ended: ")) {
                ended.add(Json.MAPPER.readTree(line));
            }
        }
        assertEquals(1, ended.size(), "one record says how the destroy ended: " + ended);
        JsonNode record = ended.get(0);
        assertEquals("InvalidRequest", record.path("errorName").asText(),
                "the field a log query filters on: " + record);
        assertEquals(false, record.path("ok").asBoolean(true), record.toString());
    }

    /** The text without the input echoed back (raw events in logs, the request in a flow), so it cannot pass. */
    static String withoutEcho(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip(copy);
        return copy.toString();
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(List.of("rawEvent", "rawInput", "raw", "request", "event", "input"));
            o.forEach(BadInputTest::strip);
        } else if (n.isArray()) {
            n.forEach(BadInputTest::strip);
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? "..." + s.substring(s.length() - 3000) : s;
    }
}

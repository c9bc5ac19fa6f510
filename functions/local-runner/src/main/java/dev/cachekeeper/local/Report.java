package dev.cachekeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one JSON document {@code invoke} prints: {@code events} put on a bus, {@code alerts} published on SNS,
 * {@code calls} made to AWS, the handler's {@code result}, the {@code world} afterwards and {@code metrics}.
 */
final class Report {
    /** The world-file fields that say what exists after the run. */
    private static final List<String> WORLD_PARTS = List.of("replicationGroups", "cacheClusters", "serverlessCaches",
            "snapshots", "serverlessSnapshots");
    private static final Set<String> CACHE_FIELDS = Set.of("id", "name", "status", "engine", "tags");
    private static final Set<String> SNAPSHOT_FIELDS = Set.of("name", "source", "type", "status", "replicationGroupId",
            "cacheClusterId", "serverlessCacheName", "createTime", "tags");

    private final ObjectNode root = Json.MAPPER.createObjectNode();

    Report(String function, String eventFile, String account, boolean dryRun) {
        root.put("function", function);
        root.put("event", eventFile);
        root.put("account", account);
        root.put("dryRun", dryRun);
        root.putArray("events");
        root.putArray("alerts");
        root.putArray("calls");
        root.putNull("result");
        root.putNull("world");
        root.putArray("metrics");
    }

    void event(String bus, String source, String detailType, JsonNode detail) {
        ((ArrayNode) root.get("events")).addObject().put("bus", bus).put("source", source)
                .put("detail-type", detailType).set("detail", detail);
    }

    void alert(String topicArn, String subject, String message, Map<String, String> attributes) {
        ObjectNode a = ((ArrayNode) root.get("alerts")).addObject();
        a.put("topicArn", topicArn);
        a.put("subject", subject);
        a.put("message", message);
        a.set("attributes", Json.MAPPER.valueToTree(attributes));
    }

    void call(String service, String operation, Map<String, String> params, String outcome) {
        ObjectNode c = ((ArrayNode) root.get("calls")).addObject();
        c.put("service", service);
        c.put("operation", operation);
        c.set("params", Json.MAPPER.valueToTree(params));
        c.put("outcome", outcome);
    }

    void result(LocalFunction.Result r) {
        root.set("result", r.toJson());
    }

    void result(JsonNode r) {
        root.set("result", r);
    }

    /** Caches and snapshots of a simulated account after the run (from its world-file form). */
    void world(JsonNode worldSnapshot) {
        ObjectNode w = root.putObject("world");
        for (String part : WORLD_PARTS) {
            ArrayNode out = w.putArray(part);
            Set<String> keep = part.toLowerCase().contains("snapshot") ? SNAPSHOT_FIELDS : CACHE_FIELDS;
            for (JsonNode item : worldSnapshot.path(part)) {
                ObjectNode o = out.addObject();
                item.properties().forEach(f -> {
                    if (keep.contains(f.getKey())) {
                        o.set(f.getKey(), f.getValue());
                    }
                });
            }
        }
    }

    void worldUnavailable(String why) {
        root.putObject("world").put("note", why);
    }

    void metrics(RecordingMetrics metrics) {
        ArrayNode out = (ArrayNode) root.get("metrics");
        for (RecordingMetrics.Datum d : metrics.flushed()) {
            out.addObject().put("name", d.name()).put("value", d.value()).put("unit", String.valueOf(d.unit()))
                    .set("dimensions", Json.MAPPER.valueToTree(d.dimensions()));
        }
    }

    ObjectNode json() {
        return root;
    }
}

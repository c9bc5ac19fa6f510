package dev.cachekeeper.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cachekeeper.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An EventBridge event as a rule target receives it: the envelope plus the raw detail. Handlers turn the detail
 * into a {@link CacheEvent} (our own events) or read it directly (native and CloudTrail events).
 */
public record BusEvent(String id, String detailType, String source, String account, String region, Instant time,
                       List<String> resources, JsonNode detail) {

    public BusEvent {
        resources = resources == null ? List.of() : List.copyOf(resources);
        detail = detail == null ? NullNode.getInstance() : detail;
    }

    /** Reads the envelope from the JSON EventBridge delivers. */
    public static BusEvent parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("an EventBridge event must be a JSON object");
        }
        String detailType = text(node, "detail-type");
        String source = text(node, "source");
        if (detailType == null || source == null) {
            throw new MalformedEventException("not an EventBridge event: 'detail-type' and 'source' are required");
        }
        Instant time = null;
        String t = text(node, "time");
        if (t != null) {
            try {
                time = Instant.parse(t);
            } catch (RuntimeException e) {
                throw new MalformedEventException("'time' is not an ISO-8601 instant: " + Truncate.of(t, 64));
            }
        }
        List<String> resources = node.path("resources").isArray()
                ? Json.MAPPER.convertValue(node.get("resources"), Json.MAPPER.getTypeFactory()
                        .constructCollectionType(List.class, String.class))
                : List.of();
        return new BusEvent(text(node, "id"), detailType, source, text(node, "account"), text(node, "region"), time,
                resources, node.get("detail"));
    }

    /**
     * From the event type Lambda's own serializer gives an EventBridge rule target (aws-lambda-java-events), which
     * is also what aws-lambda-java-tests' {@code @Event} fixtures load.
     */
    public static BusEvent from(com.amazonaws.services.lambda.runtime.events.ScheduledEvent e) {
        if (e == null || e.getDetailType() == null || e.getSource() == null) {
            throw new MalformedEventException("not an EventBridge event: 'detail-type' and 'source' are required");
        }
        Instant time = e.getTime() == null ? null : Instant.ofEpochMilli(e.getTime().getMillis());
        JsonNode detail = e.getDetail() == null ? null : Json.MAPPER.valueToTree(e.getDetail());
        return new BusEvent(e.getId(), e.getDetailType(), e.getSource(), e.getAccount(), e.getRegion(), time,
                e.getResources(), detail);
    }

    public static BusEvent fromMap(Map<String, ?> map) {
        return parse((JsonNode) Json.MAPPER.valueToTree(map));
    }

    public static BusEvent parse(InputStream in) {
        try {
            return parse(Json.MAPPER.readTree(in));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedEventException("the event is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Our own detail, validated: says which field is wrong. */
    public CacheEvent cacheEvent() {
        if (!DetailTypes.SOURCE.equals(source)) {
            throw new MalformedEventException("expected source '" + DetailTypes.SOURCE + "' but got '" + source + "'");
        }
        return CacheEvents.fromDetail(detail);
    }

    /** The envelope as EventBridge would deliver it; used by tests and the local runner. */
    public static JsonNode envelope(String detailType, String source, Instant time, JsonNode detail) {
        var n = Json.MAPPER.createObjectNode();
        n.put("version", "0");
        n.put("id", java.util.UUID.nameUUIDFromBytes((detailType + time + detail).getBytes()).toString());
        n.put("detail-type", detailType);
        n.put("source", source);
        n.put("account", "123456789012");
        n.put("time", time.toString());
        n.put("region", "eu-west-1");
        n.putArray("resources");
        n.set("detail", detail);
        return n;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

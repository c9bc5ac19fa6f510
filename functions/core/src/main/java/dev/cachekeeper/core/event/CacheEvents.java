package dev.cachekeeper.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading and keying {@link CacheEvent}s. */
public final class CacheEvents {
    /** Longest id we accept anywhere: ElastiCache ids are at most 40 characters, snapshot names 255. */
    public static final int MAX_ID_LENGTH = 255;

    private CacheEvents() {
    }

    /**
     * Validates a normalized detail and says exactly which field is wrong, so a hand-written event (a
     * {@code Cache Destroy Requested}, say) fails with a message a person can act on.
     */
    public static CacheEvent fromDetail(JsonNode detail) {
        if (detail == null || !detail.isObject()) {
            throw new MalformedEventException("detail must be a JSON object");
        }
        CacheKind kind;
        try {
            kind = CacheKind.fromWire(requiredText(detail, "kind"));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("detail.kind: " + e.getMessage());
        }
        String cacheId = requiredText(detail, "cacheId");
        checkId("detail.cacheId", cacheId);
        Instant time;
        try {
            time = Instant.parse(requiredText(detail, "time"));
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("detail.time: not an ISO-8601 instant (e.g. 2026-11-21T10:15:30Z)");
        }
        Origin origin;
        try {
            origin = Origin.fromWire(requiredText(detail, "origin"));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("detail.origin: " + e.getMessage());
        }
        String dedupKey = requiredText(detail, "dedupKey");
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = detail.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) {
                throw new MalformedEventException("detail.attributes must be an object of strings");
            }
            attrs.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode fsr = detail.get("finalSnapshotRequested");
        if (fsr != null && !fsr.isNull() && !fsr.isBoolean()) {
            throw new MalformedEventException("detail.finalSnapshotRequested must be true or false");
        }
        return CacheEvent.builder(kind, cacheId, time, origin)
                .shardId(optionalId(detail, "shardId"))
                .nodeId(optionalId(detail, "nodeId"))
                .message(optionalText(detail, "message"))
                .dedupKey(dedupKey)
                .sourceEvent(optionalText(detail, "sourceEvent"))
                .snapshotName(optionalId(detail, "snapshotName"))
                .previousPrimary(optionalId(detail, "previousPrimary"))
                .newPrimary(optionalId(detail, "newPrimary"))
                .actor(optionalText(detail, "actor"))
                .finalSnapshotRequested(fsr == null || fsr.isNull() ? null : fsr.asBoolean())
                .attributes(attributes)
                .build();
    }

    public static JsonNode toDetail(CacheEvent event) {
        return Json.MAPPER.valueToTree(event);
    }

    /** A deterministic key: the same parts in the same order always give the same 32 hex characters. */
    public static String dedupKey(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update((p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * ElastiCache ids are letters, digits, hyphens (and dots in automatic snapshot names); refusing anything else
     * early keeps injection-like input out of API calls, names and alerts.
     */
    public static void checkId(String field, String value) {
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            throw new MalformedEventException(field + ": must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_';
            if (!ok) {
                throw new MalformedEventException(field + ": '" + Truncate.of(value, 64)
                        + "' has a character ElastiCache ids never contain (allowed: letters, digits, '-', '.', '_')");
            }
        }
    }

    private static String requiredText(JsonNode detail, String field) {
        JsonNode v = detail.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedEventException("detail." + field + " is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new MalformedEventException("detail." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode detail, String field) {
        JsonNode v = detail.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedEventException("detail." + field + " must be a string");
        }
        return v.asText();
    }

    private static String optionalId(JsonNode detail, String field) {
        String v = optionalText(detail, field);
        if (v != null) {
            checkId("detail." + field, v);
        }
        return v;
    }
}

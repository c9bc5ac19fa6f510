package dev.cachekeeper.core.snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tags that mark a snapshot as cachekeeper's and say where it came from. Together with the name prefix they
 * are the only licence to delete: nothing lacking both is ever deleted.
 */
public final class ManagedTags {
    public static final String MANAGED = "cachekeeper:managed";
    public static final String MANAGED_VALUE = "true";
    public static final String SOURCE_SNAPSHOT = "cachekeeper:source-snapshot";
    public static final String SOURCE_CACHE = "cachekeeper:source-cache";
    public static final String REASON = "cachekeeper:reason";
    public static final String CREATED = "cachekeeper:created";
    public static final String EXPIRES = "cachekeeper:expires";
    public static final String REQUESTER = "cachekeeper:requester";

    /** ElastiCache allows at most 50 tags per resource. */
    public static final int TAG_LIMIT = 50;
    public static final int MAX_KEY_LENGTH = 128;
    public static final int MAX_VALUE_LENGTH = 256;

    private ManagedTags() {
    }

    /** Our own tags for a snapshot we create; {@code expires} may be null (kept until a person removes it). */
    public static Map<String, String> of(String reason, String sourceCache, String sourceSnapshot, Instant created,
                                         Instant expires, String requester) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(MANAGED, MANAGED_VALUE);
        tags.put(REASON, reason);
        putIfPresent(tags, SOURCE_CACHE, sourceCache);
        putIfPresent(tags, SOURCE_SNAPSHOT, sourceSnapshot);
        tags.put(CREATED, created.toString());
        if (expires != null) {
            tags.put(EXPIRES, expires.toString());
        }
        putIfPresent(tags, REQUESTER, requester);
        return tags;
    }

    /**
     * Ours first, then the cache's own tags while there is room under the limit. {@code aws:} keys are reserved by
     * AWS and cannot be set, and the cache's tags may not overwrite ours.
     */
    public static Merged merge(Map<String, String> ours, Map<String, String> cacheTags) {
        Map<String, String> out = new LinkedHashMap<>();
        ours.forEach((k, v) -> out.put(k, clip(v, MAX_VALUE_LENGTH)));
        List<String> dropped = new ArrayList<>();
        for (var e : cacheTags.entrySet()) {
            String k = e.getKey();
            if (k.toLowerCase(Locale.ROOT).startsWith("aws:") || out.containsKey(k)) {
                continue;
            }
            if (out.size() >= TAG_LIMIT) {
                dropped.add(k);
                continue;
            }
            out.put(k, clip(e.getValue() == null ? "" : e.getValue(), MAX_VALUE_LENGTH));
        }
        return new Merged(out, dropped);
    }

    public static boolean isManaged(Map<String, String> tags) {
        return MANAGED_VALUE.equalsIgnoreCase(tags.getOrDefault(MANAGED, ""));
    }

    /** The result of a merge, with the cache tags that did not fit so the caller can say so in its record. */
    public record Merged(Map<String, String> tags, List<String> droppedKeys) {
        public List<software.amazon.awssdk.services.elasticache.model.Tag> sdkTags() {
            return tags.entrySet().stream()
                    .map(e -> software.amazon.awssdk.services.elasticache.model.Tag.builder()
                            .key(e.getKey()).value(e.getValue()).build())
                    .toList();
        }
    }

    private static void putIfPresent(Map<String, String> tags, String key, String value) {
        if (value != null && !value.isBlank()) {
            tags.put(key, clip(value, MAX_VALUE_LENGTH));
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}

package dev.cachekeeper.simulation;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Tags by resource ARN, with ElastiCache's limits: 50 tags per resource, keys up to 128 and values up to 256 chars. */
final class TagStore {
    static final int MAX_TAGS = 50;

    private final Map<String, LinkedHashMap<String, String>> tags = new HashMap<>();

    Map<String, String> get(String arn) {
        return Map.copyOf(tags.getOrDefault(arn, new LinkedHashMap<>()));
    }

    /** Ordered view for responses. */
    LinkedHashMap<String, String> ordered(String arn) {
        return new LinkedHashMap<>(tags.getOrDefault(arn, new LinkedHashMap<>()));
    }

    /** Checks first, then adds all or nothing. Adding no tags leaves no trace: the resource was never tagged. */
    void add(String arn, Map<String, String> add) {
        validate(arn, add);
        if (!add.isEmpty()) {
            tags.computeIfAbsent(arn, k -> new LinkedHashMap<>()).putAll(add);
        }
    }

    /**
     * Every resource that has tags or once had them (its tags now, possibly none), by ARN in ARN order: what the
     * Resource Groups Tagging API indexes. A deleted resource is dropped with its tags.
     */
    TreeMap<String, Map<String, String>> everTagged() {
        TreeMap<String, Map<String, String>> out = new TreeMap<>();
        tags.forEach((arn, t) -> out.put(arn, new LinkedHashMap<>(t)));
        return out;
    }

    /** Throws what AddTagsToResource would, without changing anything. */
    void validate(String arn, Map<String, String> add) {
        for (Map.Entry<String, String> e : add.entrySet()) {
            String k = e.getKey();
            if (k == null || k.isEmpty() || k.length() > 128) {
                throw ElastiCacheErrors.invalidValue("Tag key must be between 1 and 128 characters: " + k);
            }
            if (k.toLowerCase().startsWith("aws:")) {
                throw ElastiCacheErrors.invalidValue("Tag keys may not begin with aws: " + k);
            }
            if (e.getValue() != null && e.getValue().length() > 256) {
                throw ElastiCacheErrors.invalidValue("Tag value must be at most 256 characters for key " + k);
            }
        }
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(tags.getOrDefault(arn, new LinkedHashMap<>()));
        merged.putAll(add);
        if (merged.size() > MAX_TAGS) {
            throw ElastiCacheErrors.ERRORS.error("TagQuotaPerResourceExceeded",
                    "The request cannot be processed because it would cause the resource to have more than the "
                            + "allowed number of tags. The maximum number of tags permitted on a resource is "
                            + MAX_TAGS + ".");
        }
    }

    void remove(String arn, Iterable<String> keys) {
        LinkedHashMap<String, String> t = tags.get(arn);
        if (t != null) {
            keys.forEach(t::remove);
        }
    }

    void drop(String arn) {
        tags.remove(arn);
    }
}

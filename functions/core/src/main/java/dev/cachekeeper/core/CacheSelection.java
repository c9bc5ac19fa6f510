package dev.cachekeeper.core;

import java.util.Map;

/**
 * Which caches cachekeeper looks after: those tagged {@code key=value}, or every cache when the operator chose
 * the explicit all-caches option.
 */
public record CacheSelection(String tagKey, String tagValue, boolean all) {

    public boolean selects(Map<String, String> cacheTags) {
        if (all) {
            return true;
        }
        String v = cacheTags.get(tagKey);
        return v != null && v.equalsIgnoreCase(tagValue);
    }

    public String describe() {
        return all ? "all caches" : "caches tagged " + tagKey + "=" + tagValue;
    }
}

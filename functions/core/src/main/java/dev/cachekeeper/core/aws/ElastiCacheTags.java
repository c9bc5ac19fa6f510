package dev.cachekeeper.core.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

/** The tags of one ElastiCache resource (cache or snapshot), read live: what every safety decision is made on. */
public final class ElastiCacheTags {
    private ElastiCacheTags() {
    }

    /**
     * Key to value, in the order ElastiCache lists them. Errors, a missing resource included, are the caller's to
     * interpret (a gone cache means different things to different callers).
     */
    public static Map<String, String> of(ElastiCacheClient elastiCache, Retrier retrier, String arn) {
        Map<String, String> tags = new LinkedHashMap<>();
        retrier.call(() -> elastiCache.listTagsForResource(b -> b.resourceName(arn))).tagList()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }
}

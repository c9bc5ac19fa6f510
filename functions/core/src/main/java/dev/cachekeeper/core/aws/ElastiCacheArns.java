package dev.cachekeeper.core.aws;

import dev.cachekeeper.core.event.CacheKind;

/** ARNs as ElastiCache builds them; tagging APIs take ARNs, not ids. */
public record ElastiCacheArns(String partition, String region, String account) {

    public String cache(CacheKind kind, String id) {
        return arn(kind.arnType(), id);
    }

    public String snapshot(String name) {
        return arn("snapshot", name);
    }

    public String serverlessSnapshot(String name) {
        return arn("serverlesscachesnapshot", name);
    }

    private String arn(String type, String id) {
        return "arn:" + partition + ":elasticache:" + region + ":" + account + ":" + type + ":" + id;
    }
}

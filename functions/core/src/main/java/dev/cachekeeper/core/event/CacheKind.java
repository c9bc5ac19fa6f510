package dev.cachekeeper.core.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The three kinds of cache ElastiCache has; the wire names are DescribeEvents' SourceType values. */
public enum CacheKind {
    REPLICATION_GROUP("replication-group", "replicationgroup"),
    CACHE_CLUSTER("cache-cluster", "cluster"),
    SERVERLESS_CACHE("serverless-cache", "serverlesscache");

    private final String wireName;
    private final String arnType;

    CacheKind(String wireName, String arnType) {
        this.wireName = wireName;
        this.arnType = arnType;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The resource-type segment of the cache's ARN, e.g. {@code replicationgroup}. */
    public String arnType() {
        return arnType;
    }

    @JsonCreator
    public static CacheKind fromWire(String value) {
        if (value == null) {
            throw new IllegalArgumentException("cache kind is missing");
        }
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (CacheKind kind : values()) {
            if (kind.wireName.equals(v) || kind.arnType.equals(v)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown cache kind '" + value
                + "': expected replication-group, cache-cluster or serverless-cache");
    }
}

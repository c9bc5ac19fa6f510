package dev.cachekeeper.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The detail of every event cachekeeper puts on its bus: one shape whatever the source (SNS, DescribeEvents,
 * native EventBridge, CloudTrail), so each function is a plain rule target.
 *
 * @param kind           what sort of cache the event is about
 * @param cacheId        the replication group id, cache cluster id or serverless cache name the event concerns
 * @param shardId        node group id (e.g. {@code 0001}) when known
 * @param nodeId         the member cache cluster (node) id when known, e.g. {@code orders-0001-002}
 * @param time           when the event happened (not when we saw it)
 * @param message        the original human text, kept raw because AWS has changed the wording over time
 * @param origin         where it was first seen
 * @param dedupKey       deterministic: the same real-world event from any source gives the same key
 * @param sourceEvent    the source's own name for the event, e.g. {@code ElastiCache:FailoverComplete} or
 *                       {@code DeleteReplicationGroup}
 * @param snapshotName   for snapshot events and deletes with a final snapshot
 * @param previousPrimary for failovers, the node that was primary
 * @param newPrimary     for failovers, the node that is primary now
 * @param actor          who made the call (CloudTrail principal ARN) or who asked (destroy requests)
 * @param finalSnapshotRequested for {@code Cache Delete Called}: whether the call asked for a final snapshot
 * @param attributes     further source-specific facts, string to string
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CacheEvent(
        CacheKind kind,
        String cacheId,
        String shardId,
        String nodeId,
        Instant time,
        String message,
        Origin origin,
        String dedupKey,
        String sourceEvent,
        String snapshotName,
        String previousPrimary,
        String newPrimary,
        String actor,
        Boolean finalSnapshotRequested,
        Map<String, String> attributes) {

    public CacheEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cacheId, "cacheId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(dedupKey, "dedupKey");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static Builder builder(CacheKind kind, String cacheId, Instant time, Origin origin) {
        return new Builder(kind, cacheId, time, origin);
    }

    public Builder toBuilder() {
        Builder b = new Builder(kind, cacheId, time, origin);
        b.shardId = shardId;
        b.nodeId = nodeId;
        b.message = message;
        b.dedupKey = dedupKey;
        b.sourceEvent = sourceEvent;
        b.snapshotName = snapshotName;
        b.previousPrimary = previousPrimary;
        b.newPrimary = newPrimary;
        b.actor = actor;
        b.finalSnapshotRequested = finalSnapshotRequested;
        b.attributes = attributes;
        return b;
    }

    /** Optional fields are many; a builder keeps call sites readable. */
    public static final class Builder {
        private final CacheKind kind;
        private final String cacheId;
        private final Instant time;
        private final Origin origin;
        private String shardId;
        private String nodeId;
        private String message;
        private String dedupKey;
        private String sourceEvent;
        private String snapshotName;
        private String previousPrimary;
        private String newPrimary;
        private String actor;
        private Boolean finalSnapshotRequested;
        private Map<String, String> attributes = Map.of();

        private Builder(CacheKind kind, String cacheId, Instant time, Origin origin) {
            this.kind = kind;
            this.cacheId = cacheId;
            this.time = time;
            this.origin = origin;
        }

        public Builder shardId(String v) { shardId = v; return this; }
        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder message(String v) { message = v; return this; }
        public Builder dedupKey(String v) { dedupKey = v; return this; }
        public Builder sourceEvent(String v) { sourceEvent = v; return this; }
        public Builder snapshotName(String v) { snapshotName = v; return this; }
        public Builder previousPrimary(String v) { previousPrimary = v; return this; }
        public Builder newPrimary(String v) { newPrimary = v; return this; }
        public Builder actor(String v) { actor = v; return this; }
        public Builder finalSnapshotRequested(Boolean v) { finalSnapshotRequested = v; return this; }
        public Builder attributes(Map<String, String> v) { attributes = v; return this; }

        public CacheEvent build() {
            return new CacheEvent(kind, cacheId, shardId, nodeId, time, message, origin, dedupKey, sourceEvent,
                    snapshotName, previousPrimary, newPrimary, actor, finalSnapshotRequested, attributes);
        }
    }
}

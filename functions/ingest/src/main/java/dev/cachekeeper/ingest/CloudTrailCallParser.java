package dev.cachekeeper.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Origin;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ElastiCache API calls recorded by CloudTrail ({@code AWS API Call via CloudTrail}). A call is recorded when made:
 * a delete is already running when we see it.
 *
 * <ul>
 *   <li>{@code Delete*} become {@code Cache Delete Called}, keyed by CloudTrail's eventID (one source only).</li>
 *   <li>{@code TestFailover} becomes {@code Failover Started}, keyed like the "Test Failover API called" event of
 *       SNS and DescribeEvents, so the three reports of one test are published once.</li>
 *   <li>{@code CreateSnapshot}/{@code CopySnapshot} (and the serverless twins) are recognised and not published: the
 *       snapshot's completion arrives as {@code Snapshot Completed} from SNS, DescribeEvents or EventBridge, which is
 *       what the other functions act on; the call itself is logged (who, what, which snapshot) for the audit.</li>
 *   <li>A call that failed ({@code errorCode} set) changed nothing and is recognised, not published.</li>
 * </ul>
 */
public final class CloudTrailCallParser {
    public static final String EVENT_SOURCE = "elasticache.amazonaws.com";

    public Interpretation parse(BusEvent e) {
        JsonNode d = e.detail();
        if (d == null || !d.isObject()) {
            throw new MalformedEventException("detail must be a JSON object");
        }
        String source = Times.text(d, "eventSource");
        if (!EVENT_SOURCE.equals(source)) {
            throw new MalformedEventException("detail.eventSource is '" + source + "', not " + EVENT_SOURCE);
        }
        String name = Times.text(d, "eventName");
        if (name == null) {
            throw new MalformedEventException("detail.eventName is required");
        }
        JsonNode params = d.get("requestParameters");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new MalformedEventException("detail.requestParameters must be an object");
        }
        String error = Times.text(d, "errorCode");
        String actor = d.path("userIdentity").isObject() ? Times.text(d.get("userIdentity"), "arn") : null;
        if (error != null) {
            return new Interpretation.Recognised(name, cacheOf(params), "the call failed (" + error + "): nothing changed");
        }
        Instant time = Times.parse("detail.eventTime", d.get("eventTime"));
        if (time == null) {
            time = e.time();
        }
        if (time == null) {
            throw new MalformedEventException("detail.eventTime is required");
        }
        return switch (name) {
            case "DeleteReplicationGroup" -> deleteCalled(d, name, CacheKind.REPLICATION_GROUP,
                    required(params, "replicationGroupId"), optional(params, "finalSnapshotIdentifier"), time, actor,
                    params);
            case "DeleteCacheCluster" -> deleteCalled(d, name, CacheKind.CACHE_CLUSTER,
                    required(params, "cacheClusterId"), optional(params, "finalSnapshotIdentifier"), time, actor, params);
            case "DeleteServerlessCache" -> deleteCalled(d, name, CacheKind.SERVERLESS_CACHE,
                    required(params, "serverlessCacheName"), optional(params, "finalSnapshotName"), time, actor, params);
            case "TestFailover" -> testFailover(d, params, time, actor);
            case "CreateSnapshot", "CopySnapshot", "CreateServerlessCacheSnapshot", "CopyServerlessCacheSnapshot" ->
                    new Interpretation.Recognised(name, cacheOf(params), "snapshot "
                            + snapshotOf(params) + " requested by " + actor
                            + "; its completion is published as Snapshot Completed");
            default -> new Interpretation.Unknown("an ElastiCache call we do not handle: " + name);
        };
    }

    private Interpretation deleteCalled(JsonNode d, String name, CacheKind kind, String cacheId, String finalSnapshot,
                                        Instant time, String actor, JsonNode params) {
        String eventId = Times.text(d, "eventID");
        if (eventId == null) {
            throw new MalformedEventException("detail.eventID is required");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if (params.hasNonNull("retainPrimaryCluster")) {
            attrs.put("retainPrimaryCluster", params.get("retainPrimaryCluster").asText());
        }
        attrs.put("cloudTrailEventId", eventId);
        CacheEvent event = CacheEvent.builder(kind, NoticeInterpreter.id(name + " cache id", cacheId), time,
                        Origin.CLOUDTRAIL)
                .dedupKey(DedupKeys.ofId("cloudtrail", eventId))
                .sourceEvent(name)
                .actor(actor)
                .finalSnapshotRequested(finalSnapshot != null)
                .snapshotName(finalSnapshot == null ? null : NoticeInterpreter.id("final snapshot name", finalSnapshot))
                .message(name + " called by " + (actor == null ? "an unknown principal" : actor)
                        + (finalSnapshot == null ? " without a final snapshot" : " with final snapshot " + finalSnapshot))
                .attributes(attrs)
                .build();
        return Interpretation.Publish.of(new Normalized(DetailTypes.CACHE_DELETE_CALLED, event));
    }

    private Interpretation testFailover(JsonNode d, JsonNode params, Instant time, String actor) {
        String group = NoticeInterpreter.id("replicationGroupId", required(params, "replicationGroupId"));
        String shard = NoticeInterpreter.id("nodeGroupId", required(params, "nodeGroupId"));
        CacheEvent.Builder b = CacheEvent.builder(CacheKind.REPLICATION_GROUP, group, time, Origin.CLOUDTRAIL)
                .shardId(shard)
                .actor(actor)
                .sourceEvent("TestFailover")
                .message("TestFailover called for node group " + shard + " by "
                        + (actor == null ? "an unknown principal" : actor));
        String eventId = Times.text(d, "eventID");
        if (eventId != null) {
            b.attributes(Map.of("cloudTrailEventId", eventId));
        }
        return Interpretation.Publish.of(NoticeInterpreter.keyed(DetailTypes.FAILOVER_STARTED, b));
    }

    private static String required(JsonNode params, String field) {
        String v = optional(params, field);
        if (v == null) {
            throw new MalformedEventException("detail.requestParameters." + field + " is required");
        }
        return v;
    }

    private static String optional(JsonNode params, String field) {
        return params == null || params.isNull() ? null : Times.text(params, field);
    }

    private static String cacheOf(JsonNode params) {
        if (params == null || !params.isObject()) {
            return null;
        }
        for (String f : new String[] {"replicationGroupId", "cacheClusterId", "serverlessCacheName"}) {
            String v = Times.text(params, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String snapshotOf(JsonNode params) {
        for (String f : new String[] {"snapshotName", "targetSnapshotName", "sourceSnapshotName"}) {
            String v = optional(params, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}

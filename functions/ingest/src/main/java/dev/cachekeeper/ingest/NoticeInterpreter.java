package dev.cachekeeper.ingest;

import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheEvents;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link Notice} (SNS, DescribeEvents, or a serverless event's detail) into cachekeeper events. Event names
 * are matched exactly (case aside); message texts loosely, because AWS has reworded them over time, and the raw text
 * is always kept in {@code message}.
 */
public final class NoticeInterpreter {
    static final String FAILOVER_COMPLETE = "ElastiCache:FailoverComplete";
    static final String SNAPSHOT_COMPLETE = "ElastiCache:SnapshotComplete";
    static final String SNAPSHOT_FAILED = "ElastiCache:SnapshotFailed";
    static final String DELETE_CLUSTER_COMPLETE = "ElastiCache:DeleteCacheClusterComplete";
    static final String DELETE_GROUP_COMPLETE = "ElastiCache:DeleteReplicationGroupComplete";
    static final String TEST_FAILOVER = "ElastiCache:TestFailoverApiCalled";

    /** SNS event names we know and deliberately do not publish (lower case, without the prefix). */
    static final Set<String> RECOGNISED_NAMES = Set.of(
            "addcachenodecomplete", "addcachenodefailed", "cacheclusterparameterschanged",
            "cacheclusterprovisioningcomplete", "cacheclusterprovisioningfailed", "cacheclusterscalingcomplete",
            "cacheclusterscalingfailed", "cacheclustersecuritygroupmodified", "cachenodereplacestarted",
            "cachenodereplacecomplete", "cachenodesrebooted", "certificaterenewalcomplete",
            "createreplicationgroupcomplete", "nodereplacementcanceled",
            "nodereplacementrescheduled", "nodereplacementscheduled", "removecachenodecomplete",
            "replicationgroupscalingcomplete", "replicationgroupscalingfailed", "serviceupdateavailablefornode",
            "testnotification", "replicationgroupincreasereplicacountstarted",
            "replicationgroupincreasereplicacountfinished", "replicationgroupdecreasereplicacountstarted",
            "replicationgroupdecreasereplicacountfinished", "cacheclusterrestorefailed",
            "nodereplacementfailed", "cachenoderecovered");

    private static final Pattern FAILOVER_FROM_TO = Pattern.compile(
            "failover from primary node\\s+'?([^\\s']+)'?\\s+to replica node\\s+'?([^\\s']+)'?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FAILOVER_TO = Pattern.compile(
            "failover to replica node\\s+'?([^\\s']+)'?", Pattern.CASE_INSENSITIVE);
    private static final Pattern TEST_FAILOVER_CALLED = Pattern.compile(
            "test failover api called for node group\\s+'?([^\\s']+)'?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SNAPSHOT_NAME = Pattern.compile(
            "(?:snapshot|backup)\\s+(?:with (?:id|name)\\s+)?'([^']+)'", Pattern.CASE_INSENSITIVE);
    private static final Pattern SNAPSHOT_CLUSTER = Pattern.compile(
            "(?:cache cluster|cluster|replication group)\\s+(?:with id\\s+)?'([^']+)'", Pattern.CASE_INSENSITIVE);
    private static final Pattern SERVERLESS_CACHE_NAME = Pattern.compile(
            "serverless cache\\s+(?:with (?:id|name)\\s+)?'?([A-Za-z][\\w-]*)'?", Pattern.CASE_INSENSITIVE);
    /** Message families we know and do not publish: node recovery, scaling, maintenance, configuration. */
    private static final Pattern RECOGNISED_TEXT = Pattern.compile(
            "recover|replac|reboot|restart|creat|provision|added|adding|remov|modif|parameter|scal|maintenance"
                    + "|service update|updat|upgrad|certificate|security group|subnet|replica count|slot|reshard"
                    + "|migrat|limit|export|copy|copied|user|engine|tag|finished|shard|node group",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> NON_CACHE_SOURCES = Set.of("cache-parameter-group", "cache-security-group",
            "cache-subnet-group", "user", "user-group");

    private final CacheResolver resolver;

    public NoticeInterpreter(CacheResolver resolver) {
        this.resolver = resolver;
    }

    public Interpretation interpret(Notice n) {
        if (n.eventName() != null) {
            return byEventName(n);
        }
        if (n.message() == null || n.message().isBlank()) {
            throw new MalformedEventException("neither an event name nor a message");
        }
        String type = n.sourceType() == null ? "" : n.sourceType().toLowerCase(Locale.ROOT);
        if (NON_CACHE_SOURCES.contains(type)) {
            return new Interpretation.Recognised(type, n.sourceId(), "not about a cache");
        }
        if (n.sourceId() == null || n.sourceId().isBlank()) {
            throw new MalformedEventException("SourceIdentifier is missing");
        }
        id("SourceIdentifier", n.sourceId());
        if (type.startsWith("serverless-cache")) {
            return serverlessByText(n, type);
        }
        return nodeBasedByText(n, type);
    }

    private Interpretation byEventName(Notice n) {
        String name = n.eventName().trim();
        String bare = name.regionMatches(true, 0, "ElastiCache:", 0, 12) ? name.substring(12) : name;
        bare = bare.split("[\\s:]", 2)[0].toLowerCase(Locale.ROOT);
        if (n.sourceId() == null || n.sourceId().isBlank()) {
            throw new MalformedEventException("event " + name + " names no cache");
        }
        id("the cache id of " + name, n.sourceId());
        if (n.nodeId() != null) {
            id("Cache Cluster ID", n.nodeId());
        }
        return switch (bare) {
            case "failovercomplete" -> failoverCompleted(n, FAILOVER_COMPLETE);
            case "snapshotcomplete" -> snapshot(n, DetailTypes.SNAPSHOT_COMPLETED, SNAPSHOT_COMPLETE);
            case "snapshotfailed" -> snapshot(n, DetailTypes.SNAPSHOT_FAILED, SNAPSHOT_FAILED);
            case "deletecacheclustercomplete" -> deleted(n, CacheKind.CACHE_CLUSTER, n.sourceId(), DELETE_CLUSTER_COMPLETE);
            case "deletereplicationgroupcomplete" ->
                    deleted(n, CacheKind.REPLICATION_GROUP, n.sourceId(), DELETE_GROUP_COMPLETE);
            default -> RECOGNISED_NAMES.contains(bare)
                    ? new Interpretation.Recognised(name, n.sourceId(), "no cachekeeper event for it")
                    : new Interpretation.Unknown("unknown ElastiCache event name '" + name + "'");
        };
    }

    private Interpretation nodeBasedByText(Notice n, String type) {
        String text = n.message();
        String lower = text.toLowerCase(Locale.ROOT);
        Matcher test = TEST_FAILOVER_CALLED.matcher(text);
        if (test.find()) {
            return failoverStarted(n, test.group(1));
        }
        if (lower.contains("failover") && lower.contains("complete")) {
            return failoverCompleted(n, FAILOVER_COMPLETE);
        }
        boolean aboutSnapshot = lower.contains("snapshot") || lower.contains("backup");
        if (aboutSnapshot && lower.contains("fail")) {
            return snapshot(n, DetailTypes.SNAPSHOT_FAILED, SNAPSHOT_FAILED);
        }
        if (aboutSnapshot && (lower.contains("succeeded") || lower.contains("completed") || lower.contains("complete"))) {
            return snapshot(n, DetailTypes.SNAPSHOT_COMPLETED, SNAPSHOT_COMPLETE);
        }
        if (!aboutSnapshot && lower.contains("deleted") && !lower.contains("node")) {
            if ("replication-group".equals(type)) {
                return deleted(n, CacheKind.REPLICATION_GROUP, n.sourceId(), DELETE_GROUP_COMPLETE);
            }
            if ("cache-cluster".equals(type) || type.isEmpty()) {
                return deleted(n, CacheKind.CACHE_CLUSTER, n.sourceId(), DELETE_CLUSTER_COMPLETE);
            }
        }
        if (lower.contains("failover")) {
            // Any other failover wording is exactly what we must not miss silently.
            return new Interpretation.Unknown("a failover message in a wording we do not know");
        }
        if (RECOGNISED_TEXT.matcher(text).find()) {
            return new Interpretation.Recognised(type, n.sourceId(), "no cachekeeper event for it");
        }
        return new Interpretation.Unknown("a message in a wording we do not know");
    }

    /** DescribeEvents' serverless entries, which carry no detail-type: the same facts, read from the text. */
    private Interpretation serverlessByText(Notice n, String type) {
        String lower = n.message().toLowerCase(Locale.ROOT);
        if (lower.contains("snapshot") && lower.contains("fail") && !lower.contains("export")
                && !lower.contains("copy")) {
            return serverless(n, DetailTypes.SNAPSHOT_FAILED, "Snapshot Creation Failed");
        }
        if (lower.contains("snapshot") && (lower.contains("created") || lower.contains("succeeded")
                || lower.contains("completed")) && !lower.contains("creating")) {
            return serverless(n, DetailTypes.SNAPSHOT_COMPLETED, "Snapshot Created");
        }
        if ("serverless-cache".equals(type) && lower.contains("deleted")) {
            return serverless(n, DetailTypes.CACHE_DELETED, "Cache Deleted");
        }
        return new Interpretation.Recognised(type, n.sourceId(), "no cachekeeper event for it");
    }

    /**
     * A serverless event known to be one of ours. {@code sourceEvent} is the native detail-type.
     */
    public Interpretation serverless(Notice n, String detailType, String sourceEvent) {
        String type = n.sourceType() == null ? "" : n.sourceType().toLowerCase(Locale.ROOT);
        String snapshotName = null;
        String cache = null;
        if (type.equals("serverless-cache-snapshot")) {
            snapshotName = n.sourceId();
        } else {
            cache = n.sourceId();
        }
        if (detailType.equals(DetailTypes.SNAPSHOT_COMPLETED) || detailType.equals(DetailTypes.SNAPSHOT_FAILED)) {
            if (snapshotName == null && n.message() != null) {
                Matcher m = SNAPSHOT_NAME.matcher(n.message());
                snapshotName = m.find() ? m.group(1) : null;
            }
            if (cache == null && n.message() != null) {
                Matcher m = SERVERLESS_CACHE_NAME.matcher(n.message());
                cache = m.find() ? m.group(1) : null;
            }
            if (cache == null && snapshotName != null) {
                cache = resolver.cacheOfServerlessSnapshot(snapshotName).orElse(null);
            }
        }
        if (cache == null) {
            throw new MalformedEventException("no serverless cache name in the event");
        }
        CacheEvent.Builder b = CacheEvent.builder(CacheKind.SERVERLESS_CACHE, id("serverless cache name", cache),
                        n.time(), n.origin())
                .message(n.message())
                .sourceEvent(sourceEvent)
                .snapshotName(snapshotName == null ? null : id("snapshot name", snapshotName));
        return Interpretation.Publish.of(keyed(detailType, b));
    }

    private Interpretation failoverCompleted(Notice n, String sourceEvent) {
        String previous = null;
        String next = null;
        if (n.message() != null) {
            Matcher fromTo = FAILOVER_FROM_TO.matcher(n.message());
            Matcher to = FAILOVER_TO.matcher(n.message());
            if (fromTo.find()) {
                previous = id("previous primary", fromTo.group(1));
                next = id("new primary", fromTo.group(2));
            } else if (to.find()) {
                next = id("new primary", to.group(1));
            }
        }
        String type = n.sourceType() == null ? "" : n.sourceType().toLowerCase(Locale.ROOT);
        String node = n.nodeId() != null ? n.nodeId()
                : "cache-cluster".equals(type) ? n.sourceId()
                : next;
        CacheKind kind;
        String cacheId;
        String shard;
        boolean groupNamed = "replication-group".equals(type)
                || (n.eventName() != null && n.nodeId() != null && !n.nodeId().equalsIgnoreCase(n.sourceId()));
        if (groupNamed) {
            kind = CacheKind.REPLICATION_GROUP;
            cacheId = n.sourceId();
        } else {
            String probe = node != null ? node : n.sourceId();
            CacheResolver.Placement p = resolver.ofNode(probe);
            kind = p.kind();
            cacheId = p.cacheId();
            if (node == null && p.nodeId() != null) {
                node = p.nodeId();
            }
        }
        shard = firstShard(cacheId, next, node, previous);
        CacheEvent.Builder b = CacheEvent.builder(kind, cacheId, n.time(), n.origin())
                .shardId(shard)
                .nodeId(node)
                .previousPrimary(previous)
                .newPrimary(next)
                .message(n.message())
                .sourceEvent(sourceEvent);
        return Interpretation.Publish.of(keyed(DetailTypes.FAILOVER_COMPLETED, b));
    }

    private Interpretation failoverStarted(Notice n, String nodeGroup) {
        String type = n.sourceType() == null ? "" : n.sourceType().toLowerCase(Locale.ROOT);
        String group = n.sourceId();
        if (!"replication-group".equals(type)) {
            group = resolver.ofNode(n.sourceId()).cacheId();
        }
        CacheEvent.Builder b = CacheEvent.builder(CacheKind.REPLICATION_GROUP, group, n.time(), n.origin())
                .shardId(id("node group id", nodeGroup))
                .message(n.message())
                .sourceEvent(TEST_FAILOVER);
        return Interpretation.Publish.of(keyed(DetailTypes.FAILOVER_STARTED, b));
    }

    private Interpretation snapshot(Notice n, String detailType, String sourceEvent) {
        String snapshotName = null;
        String subject = n.sourceId();
        if (n.message() != null) {
            Matcher name = SNAPSHOT_NAME.matcher(n.message());
            if (name.find()) {
                snapshotName = id("snapshot name", name.group(1));
            }
            Matcher cluster = SNAPSHOT_CLUSTER.matcher(n.message());
            if (cluster.find()) {
                subject = id("snapshot's cluster", cluster.group(1));
            }
        }
        String type = n.sourceType() == null ? "" : n.sourceType().toLowerCase(Locale.ROOT);
        CacheKind kind;
        String cacheId;
        String node = null;
        if ("replication-group".equals(type) && subject.equals(n.sourceId())) {
            kind = CacheKind.REPLICATION_GROUP;
            cacheId = subject;
        } else {
            CacheResolver.Placement p = resolver.ofNode(subject);
            kind = p.kind();
            cacheId = p.cacheId();
            node = p.nodeId();
        }
        CacheEvent.Builder b = CacheEvent.builder(kind, cacheId, n.time(), n.origin())
                .nodeId(node)
                .shardId(node == null ? null : NodeIds.shardOf(node, cacheId))
                .snapshotName(snapshotName)
                .message(n.message())
                .sourceEvent(sourceEvent);
        return Interpretation.Publish.of(keyed(detailType, b));
    }

    private Interpretation deleted(Notice n, CacheKind kind, String cacheId, String sourceEvent) {
        CacheEvent.Builder b = CacheEvent.builder(kind, cacheId, n.time(), n.origin())
                .message(n.message())
                .sourceEvent(sourceEvent);
        if (kind == CacheKind.CACHE_CLUSTER) {
            // The node is gone, so DescribeCacheClusters cannot say whether it belonged to a group: the id's pattern
            // is offered as a hint, not as a fact.
            NodeIds.parse(cacheId).ifPresent(ids -> b.attributes(Map.of("replicationGroupIdFromName",
                    ids.replicationGroupId(), "shardIdFromName", ids.shardId())));
        }
        return Interpretation.Publish.of(keyed(DetailTypes.CACHE_DELETED, b));
    }

    /** Gives the event its time-bucket de-duplication key (see {@link DedupKeys}). */
    static Normalized keyed(String detailType, CacheEvent.Builder b) {
        CacheEvent draft = b.dedupKey("pending").build();
        return new Normalized(detailType, draft.toBuilder().dedupKey(DedupKeys.primary(detailType, draft)).build());
    }

    private static String firstShard(String groupId, String... nodes) {
        for (String node : nodes) {
            String s = node == null ? null : NodeIds.shardOf(node, groupId);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    static String id(String field, String value) {
        CacheEvents.checkId(field, value);
        return value;
    }
}

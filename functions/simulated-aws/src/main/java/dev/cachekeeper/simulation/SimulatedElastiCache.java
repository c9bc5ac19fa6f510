package dev.cachekeeper.simulation;

import static dev.cachekeeper.simulation.ElastiCacheErrors.ERRORS;
import static dev.cachekeeper.simulation.ElastiCacheErrors.invalidCombination;
import static dev.cachekeeper.simulation.ElastiCacheErrors.invalidValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.elasticache.model.AddTagsToResourceResponse;
import software.amazon.awssdk.services.elasticache.model.CopyServerlessCacheSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CopyServerlessCacheSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.CopySnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CopySnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupResponse;
import software.amazon.awssdk.services.elasticache.model.CreateServerlessCacheSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CreateServerlessCacheSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteCacheClusterRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteCacheClusterResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteReplicationGroupResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteServerlessCacheRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteServerlessCacheResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteServerlessCacheSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteServerlessCacheSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheClustersRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheClustersResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCacheSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCacheSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCachesRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCachesResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.awssdk.services.elasticache.model.ExportServerlessCacheSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.ExportServerlessCacheSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.elasticache.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.elasticache.model.NodeGroupConfiguration;
import software.amazon.awssdk.services.elasticache.model.RemoveTagsFromResourceRequest;
import software.amazon.awssdk.services.elasticache.model.RemoveTagsFromResourceResponse;
import software.amazon.awssdk.services.elasticache.model.Tag;
import software.amazon.awssdk.services.elasticache.model.TestFailoverRequest;
import software.amazon.awssdk.services.elasticache.model.TestFailoverResponse;
import software.amazon.awssdk.services.s3.model.Permission;

/**
 * ElastiCache of the simulated account behind {@link ElastiCacheClient}. Simulated operations: DescribeReplicationGroups,
 * DescribeCacheClusters, DescribeServerlessCaches, CreateReplicationGroup, DeleteReplicationGroup, DeleteCacheCluster,
 * DeleteServerlessCache, CreateSnapshot, CopySnapshot (incl. S3 export), DeleteSnapshot, DescribeSnapshots,
 * Create/Copy/Export/Delete/DescribeServerlessCacheSnapshot(s), TestFailover, DescribeEvents, ListTagsForResource,
 * AddTagsToResource, RemoveTagsFromResource. Every other operation is the interface's default, which throws
 * {@link UnsupportedOperationException}.
 *
 * <p>Besides the SDK operations there are scenario helpers (failover, recordEvent, failNextSnapshot, ...); they are
 * not API calls and do not appear in the call log.
 */
public final class SimulatedElastiCache implements ElastiCacheClient {
    /** The canonical user id ElastiCache uses to write exports into S3 buckets (commercial regions). */
    public static final String EXPORT_CANONICAL_ID = "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353";

    private static final Pattern GROUP_ID = Pattern.compile("[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)");
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[a-z][a-z0-9.-]{0,254}");
    private static final Set<String> SOURCE_TYPES = Set.of("cache-cluster", "cache-parameter-group",
            "cache-security-group", "cache-subnet-group", "replication-group", "serverless-cache",
            "serverless-cache-snapshot", "user", "user-group");

    private final SimulatedAws aws;
    private final ElastiCacheModel model;
    private final ElastiCacheViews views;
    private final Gate gate;
    private boolean failNextCreationAny;
    private final Set<String> failNextCreationOf = new java.util.HashSet<>();

    SimulatedElastiCache(SimulatedAws aws) {
        this.aws = aws;
        this.model = new ElastiCacheModel(aws);
        this.views = new ElastiCacheViews(model);
        this.gate = new Gate(aws, "elasticache", ERRORS);
    }

    ElastiCacheModel model() {
        return model;
    }

    Instant nextDue() {
        return model.nextDue();
    }

    void runDue(Instant now) {
        model.runDue(now);
    }

    private Instant now() {
        return aws.clock().now();
    }

    // =====================================================================================================
    // Scenario helpers (not SDK operations)
    // =====================================================================================================

    /** How long creations, snapshots, copies, deletions and node recovery take. */
    public Timings timings() {
        return model.timings;
    }

    /** Which of the two SNS message shapes ElastiCache notifications use (default {@link NotificationShape#KEYED}). */
    public void setNotificationShape(NotificationShape shape) {
        aws.locked(() -> model.notificationShape = shape);
    }

    /** Sets the SNS topic of a cluster, or of every member cluster of a replication group. */
    public void setNotificationTopic(String groupOrClusterId, String topicArn) {
        aws.locked(() -> {
            ReplicationGroupState g = model.groups.get(groupOrClusterId);
            if (g != null) {
                g.members().forEach(m -> m.notificationTopicArn = topicArn);
            } else {
                model.cluster(groupOrClusterId).orElseThrow(() -> new IllegalArgumentException(
                        "no replication group or cache cluster " + groupOrClusterId)).notificationTopicArn = topicArn;
            }
            return null;
        });
    }

    /**
     * A Multi-AZ automatic failover of one shard: the first replica becomes primary, the DescribeEvents entries are
     * recorded and the cluster's topic notified. Returns the new primary's cluster id.
     */
    public String failover(String replicationGroupId, String shardId) {
        return failover(replicationGroupId, shardId, null);
    }

    /** As {@link #failover(String, String)}, promoting the given replica. */
    public String failover(String replicationGroupId, String shardId, String toReplicaId) {
        return aws.locked(() -> {
            ReplicationGroupState g = model.groups.get(replicationGroupId);
            if (g == null) {
                throw new IllegalArgumentException("no replication group " + replicationGroupId);
            }
            ReplicationGroupState.Shard shard = g.shard(shardId)
                    .orElseThrow(() -> new IllegalArgumentException("no shard " + shardId + " in " + replicationGroupId));
            if (shard.replicas().isEmpty()) {
                throw new IllegalStateException("shard " + shardId + " of " + replicationGroupId + " has no replica");
            }
            if (toReplicaId != null && shard.replicas().stream().noneMatch(r -> r.clusterId.equals(toReplicaId))) {
                throw new IllegalArgumentException(toReplicaId + " is not a replica of shard " + shardId);
            }
            return model.failover(g, shard, toReplicaId, false).clusterId;
        });
    }

    /** The cluster id of a shard's current primary. */
    public String primaryOf(String replicationGroupId, String shardId) {
        return aws.locked(() -> model.groups.get(replicationGroupId).shard(shardId).orElseThrow().primary()
                .orElseThrow().clusterId);
    }

    /** Adds an entry to DescribeEvents at the current time. */
    public void recordEvent(String sourceType, String sourceIdentifier, String message) {
        recordEvent(sourceType, sourceIdentifier, message, now());
    }

    public void recordEvent(String sourceType, String sourceIdentifier, String message, Instant date) {
        aws.locked(() -> model.events.record(sourceType, sourceIdentifier, message, date));
    }

    /** Every DescribeEvents entry still kept (14 days), oldest first. */
    public List<Event> events() {
        return aws.locked(() -> model.events.all().stream().map(ElastiCacheViews::event).toList());
    }

    /** The next snapshot of this replication group or cluster (automatic, manual or final) ends {@code failed}. */
    public void failNextSnapshot(String groupOrClusterId) {
        aws.locked(() -> model.failNextSnapshotOf.add(groupOrClusterId));
    }

    /** The next snapshot of any cache ends {@code failed}. */
    public void failNextSnapshot() {
        aws.locked(() -> model.failNextSnapshotAny = true);
    }

    /** The next CreateReplicationGroup is accepted but ends in {@code create-failed}. */
    public void failNextCreation() {
        aws.locked(() -> failNextCreationAny = true);
    }

    /** The next creation of this replication group id ends in {@code create-failed}. */
    public void failNextCreation(String replicationGroupId) {
        aws.locked(() -> failNextCreationOf.add(replicationGroupId));
    }

    /** Back-dates a replication group, cluster, serverless cache or snapshot (for age-based logic). */
    public void setCreationTime(String id, Instant t) {
        aws.locked(() -> {
            ReplicationGroupState g = model.groups.get(id);
            if (g != null) {
                g.createTime = t;
                g.members().forEach(m -> m.createTime = t);
                return null;
            }
            if (model.standalone.containsKey(id)) {
                model.standalone.get(id).createTime = t;
                return null;
            }
            SnapshotState s = model.snapshots.get(id);
            if (s != null) {
                s.requestedAt = t;
                s.nodeSnapshots.forEach(n -> n.snapshotCreateTime = t);
                return null;
            }
            if (model.serverless.containsKey(id)) {
                model.serverless.get(id).createTime = t;
                return null;
            }
            if (model.serverlessSnapshots.containsKey(id)) {
                model.serverlessSnapshots.get(id).createTime = t;
                return null;
            }
            throw new IllegalArgumentException("nothing named " + id);
        });
    }

    /** Forces a replication group's status (e.g. {@code modifying}) until something changes it again. */
    public void setGroupStatus(String replicationGroupId, String status) {
        aws.locked(() -> model.groups.get(replicationGroupId).status = status);
    }

    /**
     * Forces a cache cluster's (node's) status, e.g. a replica still {@code modifying} after a failover, until
     * something changes it again.
     */
    public void setClusterStatus(String cacheClusterId, String status) {
        aws.locked(() -> model.cluster(cacheClusterId).orElseThrow(() -> new IllegalArgumentException(
                "no cache cluster " + cacheClusterId)).status = status);
    }

    /** A cache subnet group that CreateReplicationGroup accepts ({@code default} exists from the start). */
    public void addSubnetGroup(String name, String vpcId) {
        aws.locked(() -> model.subnetGroups.put(name, vpcId));
    }

    public void setManualSnapshotQuota(int perCachePer24Hours) {
        aws.locked(() -> model.manualSnapshotQuotaPerDay = perCachePer24Hours);
    }

    public void setTestFailoverQuota(int shardsPer24Hours) {
        aws.locked(() -> model.testFailoverQuotaPerDay = shardsPer24Hours);
    }

    /** Names of all node-based snapshots, sorted. */
    public List<String> snapshotNames() {
        return aws.locked(() -> List.copyOf(model.snapshots.keySet()));
    }

    /** Tags of a resource by ARN. */
    public Map<String, String> tagsOf(String arn) {
        return aws.locked(() -> model.tags.get(arn));
    }

    /** The ARN ElastiCache gives a resource, e.g. {@code arn("snapshot", "my-snap")}. */
    public String arn(String resourceType, String id) {
        return model.arn(resourceType, id);
    }

    // =====================================================================================================
    // Describe
    // =====================================================================================================

    @Override
    public DescribeReplicationGroupsResponse describeReplicationGroups(DescribeReplicationGroupsRequest r) {
        return gate.call("DescribeReplicationGroups", false, Gate.params("ReplicationGroupId", r.replicationGroupId()),
                () -> {
                    List<ReplicationGroupState> all;
                    if (r.replicationGroupId() != null) {
                        ReplicationGroupState g = model.groups.get(r.replicationGroupId().toLowerCase(Locale.ROOT));
                        if (g == null) {
                            throw ElastiCacheErrors.groupNotFound(r.replicationGroupId());
                        }
                        all = List.of(g);
                    } else {
                        all = List.copyOf(model.groups.values());
                    }
                    Paging.Page<ReplicationGroupState> page = Paging.page(all, r.marker(), r.maxRecords(), 20, 100,
                            100, "MaxRecords");
                    return DescribeReplicationGroupsResponse.builder().marker(page.nextMarker())
                            .replicationGroups(page.items().stream().map(views::group).toList()).build();
                });
    }

    @Override
    public DescribeCacheClustersResponse describeCacheClusters(DescribeCacheClustersRequest r) {
        return gate.call("DescribeCacheClusters", false, Gate.params("CacheClusterId", r.cacheClusterId()), () -> {
            List<CacheNodeState> all = new ArrayList<>();
            if (r.cacheClusterId() != null) {
                all.add(model.cluster(r.cacheClusterId().toLowerCase(Locale.ROOT))
                        .orElseThrow(() -> ElastiCacheErrors.clusterNotFound(r.cacheClusterId())));
            } else {
                if (!Boolean.TRUE.equals(r.showCacheClustersNotInReplicationGroups())) {
                    model.groups.values().forEach(g -> g.members().forEach(all::add));
                }
                all.addAll(model.standalone.values());
                all.sort(Comparator.comparing(c -> c.clusterId));
            }
            Paging.Page<CacheNodeState> page = Paging.page(all, r.marker(), r.maxRecords(), 20, 100, 100,
                    "MaxRecords");
            boolean nodes = Boolean.TRUE.equals(r.showCacheNodeInfo());
            return DescribeCacheClustersResponse.builder().marker(page.nextMarker())
                    .cacheClusters(page.items().stream().map(c -> views.cluster(c, nodes)).toList()).build();
        });
    }

    @Override
    public DescribeServerlessCachesResponse describeServerlessCaches(DescribeServerlessCachesRequest r) {
        return gate.call("DescribeServerlessCaches", false, Gate.params("ServerlessCacheName", r.serverlessCacheName()),
                () -> {
                    List<ServerlessCacheState> all;
                    if (r.serverlessCacheName() != null) {
                        ServerlessCacheState c = model.serverless.get(r.serverlessCacheName());
                        if (c == null) {
                            throw ElastiCacheErrors.serverlessNotFound(r.serverlessCacheName());
                        }
                        all = List.of(c);
                    } else {
                        all = List.copyOf(model.serverless.values());
                    }
                    Paging.Page<ServerlessCacheState> page = Paging.page(all, r.nextToken(), r.maxResults(), 1, 100,
                            50, "MaxResults");
                    return DescribeServerlessCachesResponse.builder().nextToken(page.nextMarker())
                            .serverlessCaches(page.items().stream().map(views::serverless).toList()).build();
                });
    }

    @Override
    public DescribeSnapshotsResponse describeSnapshots(DescribeSnapshotsRequest r) {
        return gate.call("DescribeSnapshots", false, Gate.params("ReplicationGroupId", r.replicationGroupId(),
                "CacheClusterId", r.cacheClusterId(), "SnapshotName", r.snapshotName(), "SnapshotSource",
                r.snapshotSource()), () -> {
            String wantedSource = null;
            if (r.snapshotSource() != null) {
                // The request says system/user; the response says automated/manual.
                wantedSource = switch (r.snapshotSource()) {
                    case "system" -> "automated";
                    case "user" -> "manual";
                    default -> throw invalidValue("Invalid SnapshotSource: " + r.snapshotSource()
                            + ". Valid values are system and user.");
                };
            }
            String name = r.snapshotName() == null ? null : r.snapshotName().toLowerCase(Locale.ROOT);
            if (name != null && !model.snapshots.containsKey(name)) {
                throw ElastiCacheErrors.snapshotNotFound(r.snapshotName());
            }
            List<SnapshotState> all = new ArrayList<>();
            for (SnapshotState s : model.snapshots.values()) {
                if (name != null && !s.name.equals(name)) {
                    continue;
                }
                if (r.replicationGroupId() != null && !r.replicationGroupId().equals(s.replicationGroupId)) {
                    continue;
                }
                if (r.cacheClusterId() != null && !r.cacheClusterId().equals(s.cacheClusterId)
                        && s.nodeSnapshots.stream().noneMatch(n -> r.cacheClusterId().equals(n.cacheClusterId))) {
                    continue;
                }
                if (wantedSource != null && !wantedSource.equals(s.source)) {
                    continue;
                }
                all.add(s);
            }
            if (r.cacheClusterId() != null && all.isEmpty() && model.cluster(r.cacheClusterId()).isEmpty()) {
                throw ElastiCacheErrors.clusterNotFound(r.cacheClusterId());
            }
            all.sort(Comparator.comparing((SnapshotState s) -> s.requestedAt).thenComparing(s -> s.name));
            Paging.Page<SnapshotState> page = Paging.page(all, r.marker(), r.maxRecords(), 20, 50, 50, "MaxRecords");
            boolean config = Boolean.TRUE.equals(r.showNodeGroupConfig());
            return DescribeSnapshotsResponse.builder().marker(page.nextMarker())
                    .snapshots(page.items().stream().map(s -> views.snapshot(s, config)).toList()).build();
        });
    }

    @Override
    public DescribeEventsResponse describeEvents(DescribeEventsRequest r) {
        return gate.call("DescribeEvents", false, Gate.params("SourceType", r.sourceTypeAsString(),
                "SourceIdentifier", r.sourceIdentifier(), "StartTime", r.startTime(), "EndTime", r.endTime(),
                "Duration", r.duration()), () -> {
            String type = r.sourceTypeAsString();
            if (type != null && !SOURCE_TYPES.contains(type)) {
                throw invalidValue("Invalid source type: " + type);
            }
            if (r.sourceIdentifier() != null && type == null) {
                throw invalidCombination("SourceType must be specified when SourceIdentifier is specified.");
            }
            if (r.duration() != null && (r.startTime() != null)) {
                throw invalidCombination("Duration cannot be combined with StartTime.");
            }
            if (r.duration() != null && (r.duration() < 0 || r.duration() > 20160)) {
                throw invalidValue("Duration must be between 0 and 20160 minutes (14 days).");
            }
            Instant end = r.endTime() != null ? r.endTime() : now();
            Instant start = r.startTime() != null ? r.startTime()
                    : end.minus(Duration.ofMinutes(r.duration() != null ? r.duration() : 60));
            if (start.isAfter(end)) {
                throw invalidCombination("StartTime must be before EndTime.");
            }
            Instant oldest = now().minus(EventLog.RETENTION);
            if (start.isBefore(oldest)) {
                start = oldest; // ElastiCache keeps 14 days of events
            }
            List<EventLog.Entry> found = model.events.find(type, r.sourceIdentifier(), start, end);
            Paging.Page<EventLog.Entry> page = Paging.page(found, r.marker(), r.maxRecords(), 20, 100, 100,
                    "MaxRecords");
            return DescribeEventsResponse.builder().marker(page.nextMarker())
                    .events(page.items().stream().map(ElastiCacheViews::event).toList()).build();
        });
    }

    // =====================================================================================================
    // Replication groups and clusters
    // =====================================================================================================

    @Override
    public CreateReplicationGroupResponse createReplicationGroup(CreateReplicationGroupRequest r) {
        return gate.call("CreateReplicationGroup", true, Gate.params("ReplicationGroupId", r.replicationGroupId(),
                "SnapshotName", r.snapshotName(), "ServerlessCacheSnapshotName", r.serverlessCacheSnapshotName(),
                "SnapshotArns", r.hasSnapshotArns() ? String.join(",", r.snapshotArns()) : null), () -> {
            String id = validGroupId(r.replicationGroupId(), "ReplicationGroupId");
            if (model.groups.containsKey(id)) {
                throw ERRORS.error("ReplicationGroupAlreadyExists", "Replication group " + id + " already exists.");
            }
            if (r.replicationGroupDescription() == null) {
                throw invalidValue("The parameter ReplicationGroupDescription must be provided.");
            }
            int seeds = (r.snapshotName() != null ? 1 : 0) + (r.hasSnapshotArns() ? 1 : 0)
                    + (r.serverlessCacheSnapshotName() != null ? 1 : 0);
            if (seeds > 1) {
                throw invalidCombination("Only one of SnapshotName, SnapshotArns and ServerlessCacheSnapshotName "
                        + "may be specified.");
            }
            CacheSettings s = new CacheSettings();
            SnapshotState seed = null;
            if (r.snapshotName() != null) {
                seed = model.snapshots.get(r.snapshotName().toLowerCase(Locale.ROOT));
                if (seed == null) {
                    throw ElastiCacheErrors.snapshotNotFound(r.snapshotName());
                }
                if (!seed.status.equals("available")) {
                    throw invalidValue("Snapshot " + seed.name + " is not in available state (" + seed.status + ").");
                }
                s = seed.settings.copy();
                s.snapshotRetentionLimit = 0;
                // Not snapshot metadata: a restored group has AUTH, in-transit encryption and security groups only
                // when the create request asks for them.
                s.authTokenEnabled = false;
                s.transitEncryptionEnabled = false;
                s.securityGroupIds = new ArrayList<>();
            } else if (r.serverlessCacheSnapshotName() != null) {
                ServerlessCacheState.Snapshot ss = model.serverlessSnapshots.get(r.serverlessCacheSnapshotName());
                if (ss == null) {
                    throw ElastiCacheErrors.serverlessSnapshotNotFound(r.serverlessCacheSnapshotName());
                }
                if (!ss.status.equals("available")) {
                    throw invalidValue("Serverless cache snapshot " + ss.name + " is not in available state.");
                }
                s.engine = ss.engine;
                s.engineVersion = ss.majorEngineVersion + ".0";
                s.dataSizeMb = Math.max(1, ss.bytesUsed / (1024 * 1024));
            } else if (r.hasSnapshotArns()) {
                for (String a : r.snapshotArns()) {
                    String[] bk = s3Location(a);
                    if (!aws.s3().bucketExists(bk[0]) || !aws.s3().keys(bk[0]).contains(bk[1])) {
                        throw invalidValue("No object exists at S3 location " + a + ".");
                    }
                }
            }
            String engine = r.engine() != null ? r.engine().toLowerCase(Locale.ROOT) : seed != null ? s.engine : "redis";
            if (!engine.equals("redis") && !engine.equals("valkey")) {
                throw invalidValue("Invalid engine: " + r.engine() + " (replication groups run valkey or redis).");
            }
            if ((seed != null || r.serverlessCacheSnapshotName() != null) && !engine.equals(s.engine)) {
                throw invalidCombination("Cannot restore a " + s.engine + " snapshot into a " + engine + " cluster.");
            }
            if (!engine.equals(s.engine)) {
                s.engine = engine;
                s.engineVersion = engine.equals("valkey") ? "8.0" : "7.1";
            }
            if (r.engineVersion() != null) {
                s.engineVersion = r.engineVersion();
            }
            if (r.cacheNodeType() != null) {
                s.cacheNodeType = r.cacheNodeType();
            }
            if (r.cacheSubnetGroupName() != null) {
                String vpc = model.subnetGroups.get(r.cacheSubnetGroupName());
                if (vpc == null) {
                    throw ERRORS.error("CacheSubnetGroupNotFoundFault",
                            "Cache subnet group " + r.cacheSubnetGroupName() + " not found.");
                }
                s.cacheSubnetGroupName = r.cacheSubnetGroupName();
                s.vpcId = vpc;
            }
            if (r.hasSecurityGroupIds()) {
                s.securityGroupIds = new ArrayList<>(r.securityGroupIds());
            }
            if (r.kmsKeyId() != null) {
                s.kmsKeyId = r.kmsKeyId();
            }
            if (r.transitEncryptionEnabled() != null) {
                s.transitEncryptionEnabled = r.transitEncryptionEnabled();
            }
            if (r.atRestEncryptionEnabled() != null) {
                s.atRestEncryptionEnabled = r.atRestEncryptionEnabled();
            }
            if (r.authToken() != null) {
                if (!s.transitEncryptionEnabled) {
                    throw invalidCombination("AuthToken requires TransitEncryptionEnabled.");
                }
                s.authTokenEnabled = true;
            }
            if (r.dataTieringEnabled() != null) {
                s.dataTiering = r.dataTieringEnabled();
            }
            if (s.dataTiering && !s.cacheNodeType.contains("r6gd")) {
                throw invalidCombination("Data tiering requires an r6gd node type, not " + s.cacheNodeType + ".");
            }
            if (r.snapshotRetentionLimit() != null) {
                if (r.snapshotRetentionLimit() < 0 || r.snapshotRetentionLimit() > 35) {
                    throw invalidValue("SnapshotRetentionLimit must be between 0 and 35.");
                }
                s.snapshotRetentionLimit = r.snapshotRetentionLimit();
            }
            if (r.snapshotWindow() != null) {
                s.snapshotWindow = validWindow(r.snapshotWindow());
            }
            if (r.preferredMaintenanceWindow() != null) {
                s.preferredMaintenanceWindow = r.preferredMaintenanceWindow();
            }
            if (r.port() != null) {
                s.port = r.port();
            }
            boolean nodeGroupConfig = r.hasNodeGroupConfiguration() && !r.nodeGroupConfiguration().isEmpty();
            boolean clusterEnabled = "enabled".equalsIgnoreCase(r.clusterModeAsString())
                    || (r.numNodeGroups() != null && r.numNodeGroups() > 1)
                    || (nodeGroupConfig && r.nodeGroupConfiguration().size() > 1)
                    || (r.cacheParameterGroupName() != null && r.cacheParameterGroupName().contains("cluster.on"))
                    || (seed != null && seed.clusterEnabled && !"disabled".equalsIgnoreCase(r.clusterModeAsString()));
            s.cacheParameterGroupName = r.cacheParameterGroupName() != null ? r.cacheParameterGroupName()
                    : s.defaultParameterGroup(clusterEnabled);
            if (seed != null && r.cacheParameterGroupName() == null) {
                s.cacheParameterGroupName = s.defaultParameterGroup(clusterEnabled);
            }
            int shards = !clusterEnabled ? 1 : nodeGroupConfig ? r.nodeGroupConfiguration().size()
                    : r.numNodeGroups() != null ? r.numNodeGroups()
                    : seed != null ? seed.nodeSnapshots.size()
                    : r.hasSnapshotArns() ? r.snapshotArns().size() : 1;
            if (r.numNodeGroups() != null && nodeGroupConfig && r.numNodeGroups() != r.nodeGroupConfiguration().size()) {
                throw invalidCombination("NumNodeGroups does not match the number of NodeGroupConfiguration entries.");
            }
            if (clusterEnabled && r.hasSnapshotArns() && r.snapshotArns().size() > 1 && !nodeGroupConfig) {
                throw invalidCombination("Restoring a cluster-mode-enabled group from several .rdb files needs "
                        + "NodeGroupConfiguration with slots for each.");
            }
            boolean autoFailover = r.automaticFailoverEnabled() != null ? r.automaticFailoverEnabled() : clusterEnabled;
            boolean multiAz = Boolean.TRUE.equals(r.multiAZEnabled());
            if (multiAz && !autoFailover) {
                throw invalidCombination("Multi-AZ requires AutomaticFailoverEnabled.");
            }
            if (clusterEnabled && !autoFailover) {
                throw invalidCombination("Cluster mode enabled replication groups require automatic failover.");
            }
            Map<String, String> tagMap = tagMap(r.tags());
            ReplicationGroupState g = new ReplicationGroupState(id);
            g.description = r.replicationGroupDescription();
            g.settings = s;
            g.clusterEnabled = clusterEnabled;
            g.automaticFailover = autoFailover;
            g.multiAz = multiAz;
            g.createTime = now();
            g.status = "creating";
            List<String> azs = model.availabilityZones();
            for (int i = 0; i < shards; i++) {
                NodeGroupConfiguration ngc = nodeGroupConfig ? r.nodeGroupConfiguration().get(i) : null;
                String shardId = ngc != null && ngc.nodeGroupId() != null ? ngc.nodeGroupId()
                        : String.format("%04d", i + 1);
                ReplicationGroupState.Shard shard = new ReplicationGroupState.Shard(shardId);
                shard.slots = ngc != null && ngc.slots() != null ? ngc.slots()
                        : (16384 * i / shards) + "-" + (16384 * (i + 1) / shards - 1);
                int nodes;
                if (clusterEnabled) {
                    int replicas = ngc != null && ngc.replicaCount() != null ? ngc.replicaCount()
                            : r.replicasPerNodeGroup() != null ? r.replicasPerNodeGroup() : 1;
                    nodes = replicas + 1;
                } else {
                    nodes = r.numCacheClusters() != null ? r.numCacheClusters()
                            : r.hasPreferredCacheClusterAZs() ? r.preferredCacheClusterAZs().size()
                            : autoFailover ? 2 : 1;
                }
                if (nodes < 1 || nodes > 6) {
                    throw invalidValue("A node group has 1 to 6 nodes (a primary and up to 5 replicas).");
                }
                if (autoFailover && nodes < 2) {
                    throw invalidCombination("Automatic failover requires at least one read replica in each node group.");
                }
                for (int n = 0; n < nodes; n++) {
                    String clusterId = clusterEnabled ? String.format("%s-%s-%03d", id, shardId, n + 1)
                            : String.format("%s-%03d", id, n + 1);
                    CacheNodeState m = new CacheNodeState(clusterId);
                    m.replicationGroupId = id;
                    m.shardId = shardId;
                    m.role = n == 0 ? "primary" : "replica";
                    m.createTime = now();
                    m.status = "creating";
                    m.notificationTopicArn = r.notificationTopicArn();
                    m.availabilityZone = az(r, ngc, n, i, azs);
                    shard.members.add(m);
                }
                g.shards.add(shard);
            }
            model.tags.validate(model.arn("replicationgroup", id), tagMap);
            g.transitionAt = now().plus(model.timings.groupCreate());
            g.failCreation = failNextCreationAny || failNextCreationOf.remove(id);
            failNextCreationAny = false;
            model.groups.put(id, g);
            model.tags.add(model.arn("replicationgroup", id), tagMap);
            g.members().forEach(m -> model.tags.add(model.arn("cluster", m.clusterId), tagMap));
            return CreateReplicationGroupResponse.builder().replicationGroup(views.group(g)).build();
        });
    }

    private static String az(CreateReplicationGroupRequest r, NodeGroupConfiguration ngc, int node, int shard,
                             List<String> azs) {
        if (ngc != null) {
            if (node == 0 && ngc.primaryAvailabilityZone() != null) {
                return ngc.primaryAvailabilityZone();
            }
            if (node > 0 && ngc.hasReplicaAvailabilityZones() && ngc.replicaAvailabilityZones().size() >= node) {
                return ngc.replicaAvailabilityZones().get(node - 1);
            }
        } else if (r.hasPreferredCacheClusterAZs() && r.preferredCacheClusterAZs().size() > node) {
            return r.preferredCacheClusterAZs().get(node);
        }
        return azs.get((node + shard) % azs.size());
    }

    @Override
    public DeleteReplicationGroupResponse deleteReplicationGroup(DeleteReplicationGroupRequest r) {
        return gate.call("DeleteReplicationGroup", true, Gate.params("ReplicationGroupId", r.replicationGroupId(),
                "FinalSnapshotIdentifier", r.finalSnapshotIdentifier(), "RetainPrimaryCluster",
                r.retainPrimaryCluster()), () -> {
            ReplicationGroupState g = model.groups.get(lower(r.replicationGroupId()));
            if (g == null) {
                throw ElastiCacheErrors.groupNotFound(r.replicationGroupId());
            }
            if (!g.status.equals("available") && !g.status.equals("create-failed")) {
                throw ElastiCacheErrors.groupState(g.id, g.status, "be deleted");
            }
            boolean retain = Boolean.TRUE.equals(r.retainPrimaryCluster());
            if (retain && g.clusterEnabled) {
                throw invalidCombination("RetainPrimaryCluster is not supported for cluster mode enabled replication "
                        + "groups.");
            }
            SnapshotState fin = null;
            if (r.finalSnapshotIdentifier() != null) {
                String name = validSnapshotName(r.finalSnapshotIdentifier(), "FinalSnapshotIdentifier");
                if (g.status.equals("create-failed")) {
                    throw ElastiCacheErrors.groupState(g.id, g.status, "take a final snapshot");
                }
                checkQuota(g.id);
                fin = model.startSnapshot(name, "manual", g, null, now(), null, true, true);
            }
            g.status = "deleting";
            g.snapshottingClusterId = null;
            Instant gone = now().plus(model.timings.groupDelete());
            if (fin != null && fin.transitionAt.isAfter(gone)) {
                gone = fin.transitionAt;
            }
            g.transitionAt = gone;
            g.members().forEach(m -> m.status = "deleting");
            if (retain) {
                CacheNodeState primary = g.shards.get(0).primary().orElseThrow();
                g.shards.get(0).members.remove(primary);
                primary.replicationGroupId = null;
                primary.shardId = null;
                primary.role = null;
                primary.settings = g.settings.copy();
                primary.status = "available";
                model.standalone.put(primary.clusterId, primary);
            }
            return DeleteReplicationGroupResponse.builder().replicationGroup(views.group(g)).build();
        });
    }

    @Override
    public DeleteCacheClusterResponse deleteCacheCluster(DeleteCacheClusterRequest r) {
        return gate.call("DeleteCacheCluster", true, Gate.params("CacheClusterId", r.cacheClusterId(),
                "FinalSnapshotIdentifier", r.finalSnapshotIdentifier()), () -> {
            CacheNodeState c = model.cluster(lower(r.cacheClusterId()))
                    .orElseThrow(() -> ElastiCacheErrors.clusterNotFound(r.cacheClusterId()));
            if (c.replicationGroupId != null) {
                throw ERRORS.error("InvalidCacheClusterState", "Cache cluster " + c.clusterId + " is a member of "
                        + "replication group " + c.replicationGroupId + "; delete or modify the replication group.");
            }
            if (!c.status.equals("available") && !c.status.equals("create-failed")) {
                throw ERRORS.error("InvalidCacheClusterState", "Cache cluster " + c.clusterId + " is in state "
                        + c.status + " and cannot be deleted.");
            }
            Instant gone = now().plus(model.timings.groupDelete());
            if (r.finalSnapshotIdentifier() != null) {
                String name = validSnapshotName(r.finalSnapshotIdentifier(), "FinalSnapshotIdentifier");
                checkQuota(c.clusterId);
                SnapshotState fin = model.startSnapshot(name, "manual", null, c, now(), null, true);
                if (fin.transitionAt.isAfter(gone)) {
                    gone = fin.transitionAt;
                }
            }
            c.status = "deleting";
            c.transitionAt = gone;
            return DeleteCacheClusterResponse.builder().cacheCluster(views.cluster(c, false)).build();
        });
    }

    @Override
    public DeleteServerlessCacheResponse deleteServerlessCache(DeleteServerlessCacheRequest r) {
        return gate.call("DeleteServerlessCache", true, Gate.params("ServerlessCacheName", r.serverlessCacheName(),
                "FinalSnapshotName", r.finalSnapshotName()), () -> {
            ServerlessCacheState c = model.serverless.get(r.serverlessCacheName());
            if (c == null) {
                throw ElastiCacheErrors.serverlessNotFound(r.serverlessCacheName());
            }
            if (!c.status.equals("available") && !c.status.equals("create-failed")) {
                throw ERRORS.error("InvalidServerlessCacheStateFault", "Serverless cache " + c.name
                        + " is in state " + c.status + " and cannot be deleted.");
            }
            if (r.finalSnapshotName() != null) {
                if (model.serverlessSnapshots.containsKey(r.finalSnapshotName())) {
                    throw ERRORS.error("ServerlessCacheSnapshotAlreadyExistsFault",
                            "Serverless cache snapshot " + r.finalSnapshotName() + " already exists.");
                }
                model.startServerlessSnapshot(r.finalSnapshotName(), c, "manual", now(), null);
            }
            c.status = "deleting";
            c.transitionAt = now().plus(model.timings.groupDelete());
            return DeleteServerlessCacheResponse.builder().serverlessCache(views.serverless(c)).build();
        });
    }

    // =====================================================================================================
    // Snapshots
    // =====================================================================================================

    @Override
    public CreateSnapshotResponse createSnapshot(CreateSnapshotRequest r) {
        return gate.call("CreateSnapshot", true, Gate.params("ReplicationGroupId", r.replicationGroupId(),
                "CacheClusterId", r.cacheClusterId(), "SnapshotName", r.snapshotName()), () -> {
            if ((r.replicationGroupId() == null) == (r.cacheClusterId() == null)) {
                throw invalidCombination("Exactly one of ReplicationGroupId and CacheClusterId must be specified.");
            }
            String name = validSnapshotName(r.snapshotName(), "SnapshotName");
            ReplicationGroupState g;
            CacheNodeState node = null;
            if (r.replicationGroupId() != null) {
                g = model.groups.get(lower(r.replicationGroupId()));
                if (g == null) {
                    throw ElastiCacheErrors.groupNotFound(r.replicationGroupId());
                }
            } else {
                node = model.cluster(lower(r.cacheClusterId()))
                        .orElseThrow(() -> ElastiCacheErrors.clusterNotFound(r.cacheClusterId()));
                g = node.replicationGroupId == null ? null : model.groups.get(node.replicationGroupId);
                if (g != null && g.clusterEnabled) {
                    throw invalidValue("Cache cluster " + node.clusterId + " belongs to cluster mode enabled "
                            + "replication group " + g.id + ": snapshot the replication group instead.");
                }
            }
            if (g != null && !g.status.equals("available")) {
                throw ElastiCacheErrors.groupState(g.id, g.status, "be snapshotted");
            }
            if (g == null && !node.status.equals("available")) {
                throw ERRORS.error("InvalidCacheClusterState", "Cache cluster " + node.clusterId + " is in state "
                        + node.status + " and cannot be snapshotted.");
            }
            checkQuota(g != null ? g.id : node.clusterId);
            Map<String, String> tagMap = tagMap(r.tags());
            model.tags.validate(model.arn("snapshot", name), tagMap);
            SnapshotState s = model.startSnapshot(name, "manual", g, node, now(), r.kmsKeyId(), true);
            model.tags.add(model.arn("snapshot", name), tagMap);
            return CreateSnapshotResponse.builder().snapshot(views.snapshot(s, false)).build();
        });
    }

    @Override
    public CopySnapshotResponse copySnapshot(CopySnapshotRequest r) {
        return gate.call("CopySnapshot", true, Gate.params("SourceSnapshotName", r.sourceSnapshotName(),
                "TargetSnapshotName", r.targetSnapshotName(), "TargetBucket", r.targetBucket()), () -> {
            SnapshotState src = model.snapshots.get(lower(r.sourceSnapshotName()));
            if (src == null) {
                throw ElastiCacheErrors.snapshotNotFound(r.sourceSnapshotName());
            }
            if (!src.status.equals("available") && !src.status.equals("copying")) {
                throw ERRORS.error("InvalidSnapshotState", "Snapshot " + src.name + " is in state " + src.status
                        + " and cannot be copied.");
            }
            if (r.targetSnapshotName() == null || r.targetSnapshotName().isEmpty()) {
                throw invalidValue("The parameter TargetSnapshotName must be provided.");
            }
            if (r.targetBucket() != null) {
                return CopySnapshotResponse.builder().snapshot(export(src, r.targetSnapshotName(), r.targetBucket()))
                        .build();
            }
            String target = validSnapshotName(r.targetSnapshotName(), "TargetSnapshotName");
            Map<String, String> tagMap = tagMap(r.tags());
            model.tags.validate(model.arn("snapshot", target), tagMap);
            SnapshotState copy = src.copyAs(target);
            if (r.kmsKeyId() != null) {
                copy.kmsKeyId = r.kmsKeyId();
            }
            copy.requestedAt = now();
            copy.status = "creating";
            copy.pending = SnapshotState.Pending.COPY;
            copy.transitionAt = now().plus(model.timings.copy());
            copy.copiedFrom = src.name;
            model.snapshots.put(target, copy);
            src.status = "copying";
            model.tags.add(model.arn("snapshot", target), tagMap);
            return CopySnapshotResponse.builder().snapshot(views.snapshot(copy, false)).build();
        });
    }

    /** CopySnapshot with TargetBucket: checks the bucket the way ElastiCache needs it, then writes one .rdb per shard. */
    private software.amazon.awssdk.services.elasticache.model.Snapshot export(SnapshotState src, String target,
                                                                               String bucketName) {
        if (src.settings.dataTiering) {
            throw invalidValue("Exporting snapshot " + src.name + " to S3 is not supported: the cluster uses data "
                    + "tiering.");
        }
        SimulatedS3.Bucket b = aws.s3().bucket(bucketName);
        if (b == null) {
            throw invalidValue("The S3 bucket " + bucketName + " does not exist.");
        }
        if (!b.region.equals(aws.region())) {
            throw invalidValue("The S3 bucket " + bucketName + " is in " + b.region + ", not in " + aws.region()
                    + ": exports go to a bucket in the snapshot's region.");
        }
        List<String> missing = new ArrayList<>();
        for (Permission p : List.of(Permission.READ, Permission.WRITE, Permission.READ_ACP)) {
            if (!b.grants(EXPORT_CANONICAL_ID, p)) {
                missing.add(p.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw invalidValue("ElastiCache has not been granted " + String.join(", ", missing)
                    + " permissions on the S3 bucket " + bucketName
                    + (b.aclsEnabled() ? "." : " (ACLs are disabled: Object Ownership is BucketOwnerEnforced)."));
        }
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= src.nodeSnapshots.size(); i++) {
            String key = String.format("%s-%04d.rdb", target, i);
            if (b.objects.containsKey(key)) {
                throw invalidValue("The S3 object " + key + " already exists in bucket " + bucketName + ".");
            }
            keys.add(key);
        }
        model.exports.add(new ElastiCacheModel.PendingExport(src.name, bucketName, keys,
                now().plus(model.timings.export())));
        src.status = "copying";
        return views.snapshot(src, false);
    }

    @Override
    public DeleteSnapshotResponse deleteSnapshot(DeleteSnapshotRequest r) {
        return gate.call("DeleteSnapshot", true, Gate.params("SnapshotName", r.snapshotName()), () -> {
            SnapshotState s = model.snapshots.get(lower(r.snapshotName()));
            if (s == null) {
                throw ElastiCacheErrors.snapshotNotFound(r.snapshotName());
            }
            if (!s.status.equals("available") && !s.status.equals("failed")) {
                throw ERRORS.error("InvalidSnapshotState", "Snapshot " + s.name + " is in state " + s.status
                        + " and cannot be deleted.");
            }
            s.status = "deleting";
            s.pending = SnapshotState.Pending.DELETE;
            s.transitionAt = now().plus(model.timings.snapshotDelete());
            return DeleteSnapshotResponse.builder().snapshot(views.snapshot(s, false)).build();
        });
    }

    // ---- serverless snapshots ----

    @Override
    public CreateServerlessCacheSnapshotResponse createServerlessCacheSnapshot(CreateServerlessCacheSnapshotRequest r) {
        return gate.call("CreateServerlessCacheSnapshot", true, Gate.params("ServerlessCacheName",
                r.serverlessCacheName(), "ServerlessCacheSnapshotName", r.serverlessCacheSnapshotName()), () -> {
            String name = validServerlessSnapshotName(r.serverlessCacheSnapshotName());
            ServerlessCacheState c = model.serverless.get(r.serverlessCacheName());
            if (c == null) {
                throw ElastiCacheErrors.serverlessNotFound(r.serverlessCacheName());
            }
            if (!c.status.equals("available")) {
                throw ERRORS.error("InvalidServerlessCacheStateFault", "Serverless cache " + c.name
                        + " is in state " + c.status + ".");
            }
            Instant since = now().minus(Duration.ofDays(1));
            long recent = model.serverlessSnapshots.values().stream().filter(s -> s.snapshotType.equals("manual")
                    && c.name.equals(s.serverlessCacheName) && s.createTime.isAfter(since)).count();
            if (recent >= 24) {
                throw ERRORS.error("ServerlessCacheSnapshotQuotaExceededFault", "The request cannot be processed "
                        + "because it would exceed the allowed number of snapshots per serverless cache per 24 hours.");
            }
            Map<String, String> tagMap = tagMap(r.tags());
            model.tags.validate(model.arn("serverlesscachesnapshot", name), tagMap);
            ServerlessCacheState.Snapshot s = model.startServerlessSnapshot(name, c, "manual", now(), r.kmsKeyId());
            model.tags.add(model.arn("serverlesscachesnapshot", name), tagMap);
            return CreateServerlessCacheSnapshotResponse.builder().serverlessCacheSnapshot(views.serverlessSnapshot(s))
                    .build();
        });
    }

    @Override
    public CopyServerlessCacheSnapshotResponse copyServerlessCacheSnapshot(CopyServerlessCacheSnapshotRequest r) {
        return gate.call("CopyServerlessCacheSnapshot", true, Gate.params("SourceServerlessCacheSnapshotName",
                r.sourceServerlessCacheSnapshotName(), "TargetServerlessCacheSnapshotName",
                r.targetServerlessCacheSnapshotName()), () -> {
            ServerlessCacheState.Snapshot src = model.serverlessSnapshots.get(r.sourceServerlessCacheSnapshotName());
            if (src == null) {
                throw ElastiCacheErrors.serverlessSnapshotNotFound(r.sourceServerlessCacheSnapshotName());
            }
            if (!src.status.equals("available")) {
                throw ERRORS.error("InvalidServerlessCacheSnapshotStateFault", "Serverless cache snapshot "
                        + src.name + " is in state " + src.status + ".");
            }
            String target = validServerlessSnapshotName(r.targetServerlessCacheSnapshotName());
            Map<String, String> tagMap = tagMap(r.tags());
            model.tags.validate(model.arn("serverlesscachesnapshot", target), tagMap);
            ServerlessCacheState.Snapshot copy = new ServerlessCacheState.Snapshot(target);
            copy.snapshotType = "manual";
            copy.serverlessCacheName = src.serverlessCacheName;
            copy.engine = src.engine;
            copy.majorEngineVersion = src.majorEngineVersion;
            copy.kmsKeyId = r.kmsKeyId() != null ? r.kmsKeyId() : src.kmsKeyId;
            copy.bytesUsed = src.bytesUsed;
            copy.createTime = now();
            copy.status = "creating";
            copy.pending = SnapshotState.Pending.CREATE;
            copy.transitionAt = now().plus(model.timings.copy());
            model.serverlessSnapshots.put(target, copy);
            model.tags.add(model.arn("serverlesscachesnapshot", target), tagMap);
            return CopyServerlessCacheSnapshotResponse.builder().serverlessCacheSnapshot(views.serverlessSnapshot(copy))
                    .build();
        });
    }

    @Override
    public ExportServerlessCacheSnapshotResponse exportServerlessCacheSnapshot(ExportServerlessCacheSnapshotRequest r) {
        return gate.call("ExportServerlessCacheSnapshot", true, Gate.params("ServerlessCacheSnapshotName",
                r.serverlessCacheSnapshotName(), "S3BucketName", r.s3BucketName()), () -> {
            ServerlessCacheState.Snapshot s = model.serverlessSnapshots.get(r.serverlessCacheSnapshotName());
            if (s == null) {
                throw ElastiCacheErrors.serverlessSnapshotNotFound(r.serverlessCacheSnapshotName());
            }
            if (!s.status.equals("available")) {
                throw ERRORS.error("InvalidServerlessCacheSnapshotStateFault", "Serverless cache snapshot "
                        + s.name + " is in state " + s.status + ".");
            }
            SimulatedS3.Bucket b = aws.s3().bucket(r.s3BucketName());
            if (b == null) {
                throw invalidValue("The S3 bucket " + r.s3BucketName() + " does not exist.");
            }
            if (!b.region.equals(aws.region())) {
                throw invalidValue("The S3 bucket " + r.s3BucketName() + " is not in " + aws.region() + ".");
            }
            String key = s.name + "-0001.rdb";
            if (b.objects.containsKey(key)) {
                throw invalidValue("The S3 object " + key + " already exists in bucket " + b.name + ".");
            }
            model.exports.add(new ElastiCacheModel.PendingExport(s.name, b.name, List.of(key),
                    now().plus(model.timings.export())));
            return ExportServerlessCacheSnapshotResponse.builder().serverlessCacheSnapshot(views.serverlessSnapshot(s))
                    .build();
        });
    }

    @Override
    public DeleteServerlessCacheSnapshotResponse deleteServerlessCacheSnapshot(DeleteServerlessCacheSnapshotRequest r) {
        return gate.call("DeleteServerlessCacheSnapshot", true, Gate.params("ServerlessCacheSnapshotName",
                r.serverlessCacheSnapshotName()), () -> {
            ServerlessCacheState.Snapshot s = model.serverlessSnapshots.get(r.serverlessCacheSnapshotName());
            if (s == null) {
                throw ElastiCacheErrors.serverlessSnapshotNotFound(r.serverlessCacheSnapshotName());
            }
            if (!s.status.equals("available")) {
                throw ERRORS.error("InvalidServerlessCacheSnapshotStateFault", "Serverless cache snapshot "
                        + s.name + " is in state " + s.status + " and cannot be deleted.");
            }
            s.status = "deleting";
            s.pending = SnapshotState.Pending.DELETE;
            s.transitionAt = now().plus(model.timings.snapshotDelete());
            return DeleteServerlessCacheSnapshotResponse.builder().serverlessCacheSnapshot(views.serverlessSnapshot(s))
                    .build();
        });
    }

    @Override
    public DescribeServerlessCacheSnapshotsResponse describeServerlessCacheSnapshots(
            DescribeServerlessCacheSnapshotsRequest r) {
        return gate.call("DescribeServerlessCacheSnapshots", false, Gate.params("ServerlessCacheName",
                r.serverlessCacheName(), "ServerlessCacheSnapshotName", r.serverlessCacheSnapshotName(),
                "SnapshotType", r.snapshotType()), () -> {
            if (r.serverlessCacheSnapshotName() != null
                    && !model.serverlessSnapshots.containsKey(r.serverlessCacheSnapshotName())) {
                throw ElastiCacheErrors.serverlessSnapshotNotFound(r.serverlessCacheSnapshotName());
            }
            if (r.snapshotType() != null && !Set.of("automated", "manual").contains(r.snapshotType())) {
                throw invalidValue("Invalid SnapshotType: " + r.snapshotType() + ". Valid values are automated and "
                        + "manual.");
            }
            List<ServerlessCacheState.Snapshot> all = model.serverlessSnapshots.values().stream()
                    .filter(s -> r.serverlessCacheSnapshotName() == null || s.name.equals(r.serverlessCacheSnapshotName()))
                    .filter(s -> r.serverlessCacheName() == null || r.serverlessCacheName().equals(s.serverlessCacheName))
                    .filter(s -> r.snapshotType() == null || r.snapshotType().equals(s.snapshotType))
                    .sorted(Comparator.comparing((ServerlessCacheState.Snapshot s) -> s.createTime)
                            .thenComparing(s -> s.name))
                    .toList();
            if (r.serverlessCacheName() != null && all.isEmpty()
                    && !model.serverless.containsKey(r.serverlessCacheName())) {
                throw ElastiCacheErrors.serverlessNotFound(r.serverlessCacheName());
            }
            Paging.Page<ServerlessCacheState.Snapshot> page = Paging.page(all, r.nextToken(), r.maxResults(), 1, 50,
                    50, "MaxResults");
            return DescribeServerlessCacheSnapshotsResponse.builder().nextToken(page.nextMarker())
                    .serverlessCacheSnapshots(page.items().stream().map(views::serverlessSnapshot).toList()).build();
        });
    }

    // =====================================================================================================
    // Failover
    // =====================================================================================================

    @Override
    public TestFailoverResponse testFailover(TestFailoverRequest r) {
        return gate.call("TestFailover", true, Gate.params("ReplicationGroupId", r.replicationGroupId(),
                "NodeGroupId", r.nodeGroupId()), () -> {
            ReplicationGroupState g = model.groups.get(lower(r.replicationGroupId()));
            if (g == null) {
                throw ElastiCacheErrors.groupNotFound(r.replicationGroupId());
            }
            ReplicationGroupState.Shard shard = g.shard(r.nodeGroupId()).orElseThrow(() -> ERRORS.error(
                    "NodeGroupNotFoundFault", "Node group " + r.nodeGroupId() + " not found in replication group "
                            + g.id + "."));
            if (!g.status.equals("available")) {
                throw ElastiCacheErrors.groupState(g.id, g.status, "test failover");
            }
            if (!g.automaticFailover) {
                throw ERRORS.error("InvalidReplicationGroupState", "Replication group " + g.id
                        + " does not have automatic failover enabled.");
            }
            if (shard.replicas().isEmpty()) {
                throw invalidValue("Node group " + shard.id + " has no replica to fail over to.");
            }
            if (g.clusterEnabled && g.recoveryUntil != null && g.recoveryUntil.isAfter(now())) {
                throw ElastiCacheErrors.groupState(g.id, "modifying (node replacement of a previous test failover "
                        + "still running)", "test another failover");
            }
            if (model.testFailoversInLastDay() >= model.testFailoverQuotaPerDay) {
                throw ERRORS.error("TestFailoverNotAvailableFault", "TestFailover is not available for node group "
                        + shard.id + ": the limit of " + model.testFailoverQuotaPerDay
                        + " shards per rolling 24 hours has been reached.");
            }
            model.failover(g, shard, null, true);
            return TestFailoverResponse.builder().replicationGroup(views.group(g)).build();
        });
    }

    // =====================================================================================================
    // Tags
    // =====================================================================================================

    @Override
    public ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r) {
        return gate.call("ListTagsForResource", false, Gate.params("ResourceName", r.resourceName()), () -> {
            String arn = requireResource(r.resourceName());
            return ListTagsForResourceResponse.builder().tagList(tagList(arn)).build();
        });
    }

    @Override
    public AddTagsToResourceResponse addTagsToResource(AddTagsToResourceRequest r) {
        return gate.call("AddTagsToResource", true, Gate.params("ResourceName", r.resourceName()), () -> {
            String arn = requireResource(r.resourceName());
            model.tags.add(arn, tagMap(r.tags()));
            return AddTagsToResourceResponse.builder().tagList(tagList(arn)).build();
        });
    }

    @Override
    public RemoveTagsFromResourceResponse removeTagsFromResource(RemoveTagsFromResourceRequest r) {
        return gate.call("RemoveTagsFromResource", true, Gate.params("ResourceName", r.resourceName()), () -> {
            String arn = requireResource(r.resourceName());
            Map<String, String> current = model.tags.get(arn);
            for (String k : r.tagKeys()) {
                if (!current.containsKey(k)) {
                    throw ERRORS.error("TagNotFound", "Tag with key " + k + " not found on " + arn + ".");
                }
            }
            model.tags.remove(arn, r.tagKeys());
            return RemoveTagsFromResourceResponse.builder().tagList(tagList(arn)).build();
        });
    }

    private List<Tag> tagList(String arn) {
        return model.tags.ordered(arn).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    /** Parses an ElastiCache ARN of this account and region and checks the resource exists. */
    private String requireResource(String arn) {
        String prefix = "arn:" + aws.partition() + ":elasticache:" + aws.region() + ":" + aws.accountId() + ":";
        if (arn == null || !arn.startsWith(prefix) || arn.substring(prefix.length()).indexOf(':') < 1) {
            throw ERRORS.error("InvalidARN", "The ARN " + arn + " is not valid.");
        }
        String rest = arn.substring(prefix.length());
        String type = rest.substring(0, rest.indexOf(':'));
        String id = rest.substring(rest.indexOf(':') + 1);
        boolean exists = switch (type) {
            case "replicationgroup" -> {
                if (!model.groups.containsKey(id)) {
                    throw ElastiCacheErrors.groupNotFound(id);
                }
                yield true;
            }
            case "cluster" -> {
                if (model.cluster(id).isEmpty()) {
                    throw ElastiCacheErrors.clusterNotFound(id);
                }
                yield true;
            }
            case "snapshot" -> {
                if (!model.snapshots.containsKey(id)) {
                    throw ElastiCacheErrors.snapshotNotFound(id);
                }
                yield true;
            }
            case "serverlesscache" -> {
                if (!model.serverless.containsKey(id)) {
                    throw ElastiCacheErrors.serverlessNotFound(id);
                }
                yield true;
            }
            case "serverlesscachesnapshot" -> {
                if (!model.serverlessSnapshots.containsKey(id)) {
                    throw ElastiCacheErrors.serverlessSnapshotNotFound(id);
                }
                yield true;
            }
            default -> throw ERRORS.error("InvalidARN", "The ARN " + arn + " is not valid (resource type " + type
                    + " is not simulated).");
        };
        return exists ? arn : null;
    }

    // =====================================================================================================
    // Validation
    // =====================================================================================================

    private void checkQuota(String cacheId) {
        if (model.manualSnapshotsInLastDay(cacheId) >= model.manualSnapshotQuotaPerDay) {
            throw ERRORS.error("SnapshotQuotaExceededFault", "The request cannot be processed because it would "
                    + "exceed the allowed number of snapshots (" + model.manualSnapshotQuotaPerDay
                    + ") per node per 24 hours for " + cacheId + ".");
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** Replication group ids: 1-40 letters, digits, hyphens; a letter first; no "--"; no trailing hyphen. */
    static String validGroupId(String raw, String parameter) {
        String id = lower(raw);
        if (id == null || !GROUP_ID.matcher(id).matches()) {
            throw invalidValue("The parameter " + parameter + " is not a valid identifier. Identifiers must begin with "
                    + "a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a "
                    + "hyphen or contain two consecutive hyphens (1 to 40 characters): " + raw);
        }
        return id;
    }

    /** Snapshot names are stored lower-case; "automatic" is ElastiCache's own prefix; unique among snapshots. */
    private String validSnapshotName(String raw, String parameter) {
        String name = lower(raw);
        if (name == null || !SNAPSHOT_NAME.matcher(name).matches() || name.contains("--") || name.endsWith("-")) {
            throw invalidValue("The parameter " + parameter + " is not a valid snapshot name: " + raw);
        }
        if (name.startsWith("automatic")) {
            throw invalidValue("Snapshot names beginning with 'automatic' are reserved for automatic snapshots: " + raw);
        }
        if (model.snapshots.containsKey(name)) {
            throw ElastiCacheErrors.snapshotExists(name);
        }
        return name;
    }

    private String validServerlessSnapshotName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw invalidValue("Serverless cache snapshot names have 1 to 255 characters.");
        }
        if (model.serverlessSnapshots.containsKey(name)) {
            throw ERRORS.error("ServerlessCacheSnapshotAlreadyExistsFault",
                    "Serverless cache snapshot " + name + " already exists.");
        }
        return name;
    }

    private static String validWindow(String w) {
        if (!w.matches("([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d")) {
            throw invalidValue("Invalid SnapshotWindow " + w + ": the format is hh24:mi-hh24:mi (UTC).");
        }
        return w;
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach(t -> m.put(t.key(), t.value() == null ? "" : t.value()));
        }
        return m;
    }

    /** {@code arn:aws:s3:::bucket/key} → {bucket, key}. */
    private static String[] s3Location(String arn) {
        String prefix = ":s3:::";
        int i = arn.indexOf(prefix);
        int slash = i < 0 ? -1 : arn.indexOf('/', i + prefix.length());
        if (i < 0 || slash < 0) {
            throw invalidValue("Invalid S3 object ARN in SnapshotArns: " + arn);
        }
        return new String[]{arn.substring(i + prefix.length(), slash), arn.substring(slash + 1)};
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}

package dev.cachekeeper.restore;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.ElastiCacheTags;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.snapshot.ManagedTags;
import dev.cachekeeper.core.snapshot.SnapshotNames;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.MultiAZStatus;
import software.amazon.awssdk.services.elasticache.model.NodeSnapshot;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SecurityGroupMembership;
import software.amazon.awssdk.services.elasticache.model.Snapshot;
import software.amazon.awssdk.services.elasticache.model.SnapshotNotFoundException;

/**
 * Step 1 of the restore flow: resolves the snapshot, refuses what must not go ahead, and builds the
 * CreateReplicationGroup request (PascalCase, as the Step Functions SDK integration takes it) from the snapshot's own
 * settings plus the operator's overrides. Reads only; creates nothing.
 */
public final class RestorePlanner {
    private static final Logger LOG = LoggerFactory.getLogger(RestorePlanner.class);
    static final String AVAILABLE = "available";

    private final ElastiCacheClient elastiCache;
    private final Retrier retrier;
    private final Clock clock;
    private final RestoreConfig config;

    public RestorePlanner(ElastiCacheClient elastiCache, Retrier retrier, Clock clock, RestoreConfig config) {
        this.elastiCache = elastiCache;
        this.retrier = retrier;
        this.clock = clock;
        this.config = config;
    }

    public ObjectNode plan(RestoreRequest request, String executionId) {
        Objects.requireNonNull(executionId, "executionId");
        List<String> warnings = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Snapshot snapshot = request.snapshotName() != null
                ? byName(request.snapshotName())
                : latestAvailable(request.latestSnapshotOf(), skipped);
        String sourceId = snapshot.replicationGroupId() != null ? snapshot.replicationGroupId() : snapshot.cacheClusterId();
        ReplicationGroup source = snapshot.replicationGroupId() == null ? null : findGroup(snapshot.replicationGroupId());
        boolean resumed = checkTarget(request.targetReplicationGroupId(), executionId);

        RestoreRequest.Overrides o = request.overrides();
        String engineVersion = engineVersion(snapshot, o.engineVersion());
        String parameterGroup = o.cacheParameterGroupName() != null ? o.cacheParameterGroupName()
                : snapshot.cacheParameterGroupName();
        int shards = o.numNodeGroups() != null ? o.numNodeGroups()
                : snapshot.numNodeGroups() != null ? snapshot.numNodeGroups() : 1;
        boolean clusterMode = shards > 1
                || (parameterGroup != null && parameterGroup.toLowerCase(Locale.ROOT).contains("cluster.on"))
                || (source != null && Boolean.TRUE.equals(source.clusterEnabled()));
        int replicas = o.replicasPerNodeGroup() != null ? o.replicasPerNodeGroup() : replicasOf(source);
        boolean multiAz = o.multiAzEnabled() != null ? o.multiAzEnabled()
                : source != null && source.multiAZ() == MultiAZStatus.ENABLED && replicas > 0;
        if (multiAz && replicas == 0) {
            throw new InvalidRestoreRequestException(List.of("overrides.multiAzEnabled: Multi-AZ needs at least one "
                    + "replica per shard; set overrides.replicasPerNodeGroup to 1 or more"));
        }

        ObjectNode create = Json.MAPPER.createObjectNode();
        create.put("ReplicationGroupId", request.targetReplicationGroupId());
        create.put("ReplicationGroupDescription", RequestText.description(snapshot.snapshotName()));
        create.put("SnapshotName", snapshot.snapshotName());
        putIfPresent(create, "Engine", snapshot.engine());
        putIfPresent(create, "EngineVersion", engineVersion);
        putIfPresent(create, "CacheNodeType", o.cacheNodeType() != null ? o.cacheNodeType() : snapshot.cacheNodeType());
        putIfPresent(create, "CacheParameterGroupName", parameterGroup);
        putIfPresent(create, "CacheSubnetGroupName", o.cacheSubnetGroupName() != null ? o.cacheSubnetGroupName()
                : snapshot.cacheSubnetGroupName());
        if (snapshot.port() != null) {
            create.put("Port", snapshot.port());
        }
        if (clusterMode) {
            create.put("NumNodeGroups", shards);
            create.put("ReplicasPerNodeGroup", replicas);
        } else {
            create.put("NumCacheClusters", replicas + 1);
        }
        create.put("AutomaticFailoverEnabled", clusterMode || replicas > 0);
        create.put("MultiAZEnabled", multiAz);

        SecurityGroups sgs = securityGroups(o, source);
        if (!sgs.ids().isEmpty()) {
            ArrayNode a = create.putArray("SecurityGroupIds");
            sgs.ids().forEach(a::add);
        } else {
            warnings.add("no security groups from the input, the source group or the stack default: ElastiCache "
                    + "uses the VPC's default security group");
        }

        String kms = o.kmsKeyId() != null ? o.kmsKeyId() : snapshot.kmsKeyId();
        boolean atRest = kms != null || (source != null && Boolean.TRUE.equals(source.atRestEncryptionEnabled()));
        if (atRest) {
            create.put("AtRestEncryptionEnabled", true);
            putIfPresent(create, "KmsKeyId", kms);
        }
        boolean transit = o.transitEncryptionEnabled() != null ? o.transitEncryptionEnabled()
                : source != null && Boolean.TRUE.equals(source.transitEncryptionEnabled());
        if (transit) {
            create.put("TransitEncryptionEnabled", true);
        }
        List<String> userGroups = o.userGroupIds() != null ? o.userGroupIds()
                : source != null && source.hasUserGroupIds() ? source.userGroupIds() : List.of();
        if (!userGroups.isEmpty()) {
            ArrayNode a = create.putArray("UserGroupIds");
            userGroups.forEach(a::add);
        } else if (source != null && Boolean.TRUE.equals(source.authTokenEnabled())) {
            // Setting AuthToken here would put the token into the execution history; RBAC user groups do not.
            warnings.add("the source group uses an AUTH token; the restored group is created WITHOUT one (a token in "
                    + "the create request would be visible in the execution history). Set one before cut-over: "
                    + "aws elasticache modify-replication-group --replication-group-id "
                    + request.targetReplicationGroupId() + " --auth-token <token> --auth-token-update-strategy SET "
                    + "--apply-immediately, or restore with overrides.userGroupIds (RBAC)");
        }
        if (snapshot.snapshotRetentionLimit() != null && snapshot.snapshotRetentionLimit() > 0) {
            create.put("SnapshotRetentionLimit", snapshot.snapshotRetentionLimit());
        }
        if ("enabled".equalsIgnoreCase(snapshot.dataTieringAsString())) {
            create.put("DataTieringEnabled", true);
        }
        Instant now = clock.instant();
        Map<String, String> tags = tags(request, snapshot, source, executionId, now, warnings);
        ArrayNode tagArray = create.putArray("Tags");
        tags.forEach((k, v) -> tagArray.addObject().put("Key", k).put("Value", v));

        if (request.verify() && request.authSecretArn() == null
                && (!userGroups.isEmpty())) {
            throw new InvalidRestoreRequestException(List.of("authSecretArn: the restored group uses RBAC user groups "
                    + userGroups + ", so verify needs the ARN of a secret holding {\"username\", \"password\"}"));
        }

        List<Integer> waits = WaitSchedule.waits(config.maxWait());
        ObjectNode plan = Json.MAPPER.createObjectNode();
        plan.put("targetReplicationGroupId", request.targetReplicationGroupId());
        plan.put("snapshotName", snapshot.snapshotName());
        plan.put("snapshotSource", snapshot.snapshotSource());
        Instant taken = takenAt(snapshot);
        if (!Instant.EPOCH.equals(taken)) {
            plan.put("snapshotTakenAt", taken.toString());
        }
        putIfPresent(plan, "sourceCacheId", sourceId);
        plan.put("sourceGroupExists", source != null);
        plan.put("securityGroupsFrom", sgs.from());
        plan.put("resumed", resumed);
        plan.put("executionId", executionId);
        plan.put("startedAt", now.toString());
        plan.put("keepOnFailure", request.keepOnFailure());
        putIfPresent(plan, "note", request.note());
        plan.set("create", create);
        ObjectNode verify = plan.putObject("verify");
        verify.put("enabled", request.verify());
        ObjectNode canaries = verify.putObject("canaryKeys");
        request.canaryKeys().forEach((k, v) -> {
            if (v == null) {
                canaries.putNull(k);
            } else {
                canaries.put(k, v);
            }
        });
        if (request.minKeys() != null) {
            verify.put("minKeys", request.minKeys());
        }
        putIfPresent(verify, "authSecretArn", request.authSecretArn());
        ArrayNode w = plan.putArray("waits");
        waits.forEach(w::add);
        plan.put("lastRound", waits.size() - 1);
        plan.put("maxWaitMinutes", config.maxWait().toMinutes());
        plan.putObject("poll").put("index", 0).put("wait", waits.get(0));
        ArrayNode warn = plan.putArray("warnings");
        warnings.forEach(warn::add);
        if (!skipped.isEmpty()) {
            ArrayNode s = plan.putArray("skippedSnapshots");
            skipped.forEach(s::add);
        }
        // Everything above ran as for a real restore, so a dry run refuses what the restore would refuse.
        String dryRunBy = request.dryRun() ? "input" : config.dryRun() ? "stack" : null;
        plan.put("dryRun", dryRunBy != null);
        if (dryRunBy != null) {
            plan.set("dryRunResult", dryRunResult(plan, dryRunBy));
        }
        LOG.info(dryRunBy != null ? "dry run: restore planned, nothing created" : "restore planned",
                entry("cacheId", request.targetReplicationGroupId()),
                entry("snapshotName", snapshot.snapshotName()), entry("sourceCacheId", sourceId),
                entry("resumed", resumed), entry("securityGroupsFrom", sgs.from()), entry("warnings", warnings),
                entry("dryRun", dryRunBy != null));
        return plan;
    }

    /** The execution's output when it only plans: what a restore would create, from which snapshot, and why not. */
    private static ObjectNode dryRunResult(ObjectNode plan, String by) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("status", "DRY_RUN");
        r.put("dryRunBy", by);
        r.put("message", "input".equals(by)
                ? "dry run: nothing was created. To restore, start an execution with this input and \"dryRun\": false"
                : "dry run: nothing was created, because the stack's DryRun parameter is true; deploy with "
                + "DryRun=false to restore");
        for (String field : List.of("targetReplicationGroupId", "snapshotName", "snapshotSource",
                "snapshotTakenAt", "sourceCacheId", "sourceGroupExists", "securityGroupsFrom", "maxWaitMinutes",
                "keepOnFailure", "note")) {
            if (plan.has(field)) {
                r.set(field, plan.get(field));
            }
        }
        r.set("createReplicationGroupRequest", plan.get("create"));
        r.set("verify", plan.get("verify"));
        r.set("warnings", plan.get("warnings"));
        if (plan.has("skippedSnapshots")) {
            r.set("skippedSnapshots", plan.get("skippedSnapshots"));
        }
        return r;
    }

    private Snapshot byName(String name) {
        List<Snapshot> found;
        try {
            found = retrier.call(() -> elastiCache.describeSnapshots(b -> b.snapshotName(name))).snapshots();
        } catch (SnapshotNotFoundException e) {
            found = List.of();
        }
        if (found.isEmpty()) {
            throw new RestoreRefusedException("snapshotName: no snapshot named '" + name + "' in this account and "
                    + "region (names are lower-case; serverless snapshots are restored differently, see the README)");
        }
        Snapshot s = found.get(0);
        if (!AVAILABLE.equalsIgnoreCase(s.snapshotStatus())) {
            throw new RestoreRefusedException("snapshotName: snapshot '" + name + "' is " + s.snapshotStatus()
                    + ", not available; wait until it is available, or restore another one");
        }
        return s;
    }

    /** The newest available snapshot of a cache: its manual and automatic snapshots and cachekeeper's copies. */
    private Snapshot latestAvailable(String cacheId, List<String> skipped) {
        List<Snapshot> candidates = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeSnapshotsResponse page = retrier.call(() -> elastiCache.describeSnapshots(b -> b.maxRecords(50)
                    .marker(m)));
            for (Snapshot s : page.snapshots()) {
                if (belongsTo(s, cacheId)) {
                    candidates.add(s);
                }
            }
            marker = page.marker();
        } while (marker != null && !marker.isEmpty());
        candidates.sort(Comparator.comparing(RestorePlanner::takenAt).reversed()
                .thenComparing(s -> "automated".equalsIgnoreCase(s.snapshotSource()) ? 1 : 0));
        for (Snapshot s : candidates) {
            if (AVAILABLE.equalsIgnoreCase(s.snapshotStatus())) {
                LOG.info("latest available snapshot chosen", entry("cacheId", cacheId),
                        entry("snapshotName", s.snapshotName()), entry("skipped", skipped));
                return s;
            }
            skipped.add(s.snapshotName() + " (" + s.snapshotStatus() + ")");
        }
        throw new RestoreRefusedException("latestSnapshotOf: no available snapshot of '" + cacheId + "'"
                + (skipped.isEmpty() ? " (none found: manual, automatic or cachekeeper copies)"
                : "; found only " + skipped));
    }

    private boolean belongsTo(Snapshot s, String cacheId) {
        if (cacheId.equalsIgnoreCase(s.replicationGroupId()) || cacheId.equalsIgnoreCase(s.cacheClusterId())) {
            return true;
        }
        // A cachekeeper copy says where it came from in a tag, whatever its metadata kept.
        if (SnapshotNames.hasPrefix(s.snapshotName()) && s.arn() != null) {
            Map<String, String> tags = tagsOf(s.arn());
            return cacheId.equalsIgnoreCase(tags.get(ManagedTags.SOURCE_CACHE));
        }
        return false;
    }

    static Instant takenAt(Snapshot s) {
        return s.nodeSnapshots().stream().map(NodeSnapshot::snapshotCreateTime).filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(s.cacheClusterCreateTime() != null ? s.cacheClusterCreateTime() : Instant.EPOCH);
    }

    private ReplicationGroup findGroup(String id) {
        try {
            List<ReplicationGroup> groups = retrier.call(() -> elastiCache.describeReplicationGroups(b -> b
                    .replicationGroupId(id))).replicationGroups();
            return groups.isEmpty() ? null : groups.get(0);
        } catch (ReplicationGroupNotFoundException e) {
            return null;
        }
    }

    /** True when the target already exists and was created by this very execution (a redriven execution). */
    private boolean checkTarget(String target, String executionId) {
        ReplicationGroup existing = findGroup(target);
        if (existing == null) {
            return false;
        }
        String owner = existing.arn() == null ? null : tagsOf(existing.arn()).get(RestoreTags.EXECUTION);
        if (executionId.equals(owner)) {
            LOG.info("target already created by this execution; resuming", entry("cacheId", target));
            return true;
        }
        throw new RestoreRefusedException("targetReplicationGroupId: a replication group '" + target
                + "' already exists (status " + existing.status() + "); a restore always creates a NEW group: "
                + "choose an id that is not in use");
    }

    private String engineVersion(Snapshot snapshot, String override) {
        if (override == null) {
            return snapshot.engineVersion();
        }
        if (snapshot.engineVersion() != null && compareVersions(override, snapshot.engineVersion()) < 0) {
            throw new InvalidRestoreRequestException(List.of("overrides.engineVersion: " + override
                    + " is lower than the snapshot's engine version " + snapshot.engineVersion()
                    + " (ElastiCache cannot restore into an older engine)"));
        }
        return override;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int cmp = Integer.compare(part(x, i), part(y, i));
            if (cmp != 0) {
                return cmp;
            }
        }
        return 0;
    }

    private static int part(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[i].replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int replicasOf(ReplicationGroup source) {
        if (source == null || !source.hasNodeGroups() || source.nodeGroups().isEmpty()) {
            return 1; // an incident restore should survive a node failure; override with replicasPerNodeGroup: 0
        }
        return Math.max(0, source.nodeGroups().get(0).nodeGroupMembers().size() - 1);
    }

    record SecurityGroups(List<String> ids, String from) {
    }

    private SecurityGroups securityGroups(RestoreRequest.Overrides o, ReplicationGroup source) {
        if (o.securityGroupIds() != null) {
            return new SecurityGroups(o.securityGroupIds(), "input");
        }
        // Security groups are not part of snapshot metadata: they live on the source group's member clusters.
        if (source != null && source.hasMemberClusters() && !source.memberClusters().isEmpty()) {
            try {
                var clusters = retrier.call(() -> elastiCache.describeCacheClusters(b -> b
                        .cacheClusterId(source.memberClusters().get(0)))).cacheClusters();
                if (!clusters.isEmpty() && clusters.get(0).hasSecurityGroups()
                        && !clusters.get(0).securityGroups().isEmpty()) {
                    return new SecurityGroups(clusters.get(0).securityGroups().stream()
                            .map(SecurityGroupMembership::securityGroupId).toList(), "source-group");
                }
            } catch (CacheClusterNotFoundException e) {
                // the source is being deleted; fall back below
            }
        }
        if (!config.defaultSecurityGroupIds().isEmpty()) {
            return new SecurityGroups(config.defaultSecurityGroupIds(), "stack-default");
        }
        return new SecurityGroups(List.of(), "vpc-default");
    }

    private Map<String, String> tags(RestoreRequest request, Snapshot snapshot, ReplicationGroup source,
                                     String executionId, Instant now, List<String> warnings) {
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put(RestoreTags.EXECUTION, executionId);
        ours.put(RestoreTags.RESTORED_FROM, snapshot.snapshotName());
        ours.put(RestoreTags.RESTORED_BY, RestoreTags.RESTORED_BY_VALUE);
        ours.put(RestoreTags.RESTORED_AT, now.toString());
        // The operator's tags first, then the source group's (its selection tag keeps the new group protected).
        Map<String, String> others = new LinkedHashMap<>(request.overrides().tags());
        if (source != null && source.arn() != null) {
            tagsOf(source.arn()).forEach((k, v) -> {
                if (!k.toLowerCase(Locale.ROOT).startsWith("cachekeeper:restore")) {
                    others.putIfAbsent(k, v);
                }
            });
        }
        ManagedTags.Merged merged = ManagedTags.merge(ours, others);
        if (!merged.droppedKeys().isEmpty()) {
            warnings.add("tags left out (ElastiCache allows " + ManagedTags.TAG_LIMIT + "): " + merged.droppedKeys());
        }
        return merged.tags();
    }

    private Map<String, String> tagsOf(String arn) {
        return ElastiCacheTags.of(elastiCache, retrier, arn);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    /** Texts that end up on the created group. */
    static final class RequestText {
        private RequestText() {
        }

        static String description(String snapshotName) {
            return "Restored by cachekeeper from snapshot " + snapshotName;
        }
    }
}

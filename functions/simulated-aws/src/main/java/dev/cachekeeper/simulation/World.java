package dev.cachekeeper.simulation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;

/**
 * Reads and writes world files: JSON that seeds a {@link SimulatedAws} with caches, snapshots, events, buckets,
 * topics, tables and secrets. The format is described in docs/world-file.md; {@link #snapshot} writes the same
 * format, so a world can be saved and loaded again.
 */
final class World {
    private static final String[] SETTINGS = {"engine", "engineVersion", "cacheNodeType", "parameterGroup",
            "subnetGroup", "vpcId", "securityGroupIds", "kmsKeyId", "transitEncryption", "atRestEncryption",
            "authToken", "dataTiering", "snapshotRetentionLimit", "snapshotWindow", "maintenanceWindow", "port",
            "dataSizeMb"};

    private World() {
    }

    // =====================================================================================================
    // Loading
    // =====================================================================================================

    static SimulatedAws load(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new WorldFileException("world file: not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WorldFileException("world file: the top level must be a JSON object");
        }
        WorldNode w = new WorldNode(root, "");
        w.allowOnly("$schema", "description", "account", "notificationShape", "subnetGroups", "snsTopics",
                "replicationGroups", "cacheClusters", "serverlessCaches", "snapshots", "serverlessSnapshots", "events",
                "s3Buckets", "secrets", "dynamoDbTables");
        WorldNode account = w.object("account");
        String accountId = SimulatedAws.DEFAULT_ACCOUNT_ID;
        String region = SimulatedAws.DEFAULT_REGION;
        Instant now = SimClock.DEFAULT_START;
        if (account != null) {
            account.allowOnly("accountId", "region", "now");
            accountId = account.string("accountId", accountId);
            if (!accountId.matches("\\d{12}")) {
                throw account.error("accountId", "must be 12 digits, got '" + accountId + "'");
            }
            region = account.string("region", region);
            if (!region.matches("[a-z]{2}(-gov)?-[a-z]+-\\d")) {
                throw account.error("region", "is not a region name like eu-west-1: '" + region + "'");
            }
            now = account.instant("now", now);
        }
        SimulatedAws aws = new SimulatedAws(accountId, region, now);
        aws.locked(() -> {
            populate(aws, w);
            return null;
        });
        return aws;
    }

    private static void populate(SimulatedAws aws, WorldNode w) {
        ElastiCacheModel m = aws.elastiCache().model();
        m.notificationShape = NotificationShape.valueOf(w.oneOf("notificationShape", "KEYED", "KEYED", "EVENT"));
        for (WorldNode n : w.list("subnetGroups", "name")) {
            n.allowOnly("name", "vpcId");
            m.subnetGroups.put(n.requiredString("name"), n.requiredString("vpcId"));
        }
        for (WorldNode n : w.list("snsTopics", "name")) {
            n.allowOnly("name", "kmsMasterKeyId");
            String arn = aws.sns().topic(n.requiredString("name"));
            if (n.has("kmsMasterKeyId")) {
                aws.sns().encryptTopic(arn, n.string("kmsMasterKeyId", null));
            }
        }
        for (WorldNode n : w.list("s3Buckets", "name")) {
            loadBucket(aws, n);
        }
        for (WorldNode n : w.list("secrets", "name")) {
            n.allowOnly("name", "value");
            aws.secretsManager().putSecret(n.requiredString("name"), n.requiredString("value"));
        }
        for (WorldNode n : w.list("dynamoDbTables", "name")) {
            n.allowOnly("name", "partitionKey", "ttlAttribute");
            aws.dynamoDb().createTable(n.requiredString("name"), n.string("partitionKey", "pk"),
                    n.string("ttlAttribute", null));
        }
        for (WorldNode n : w.list("replicationGroups", "id")) {
            loadGroup(aws, m, n);
        }
        for (WorldNode n : w.list("cacheClusters", "id")) {
            loadCluster(aws, m, n);
        }
        for (WorldNode n : w.list("serverlessCaches", "name")) {
            loadServerless(aws, m, n);
        }
        for (WorldNode n : w.list("snapshots", "name")) {
            loadSnapshot(aws, m, n);
        }
        for (WorldNode n : w.list("serverlessSnapshots", "name")) {
            loadServerlessSnapshot(aws, m, n);
        }
        for (WorldNode n : w.list("events", null)) {
            n.allowOnly("sourceType", "sourceIdentifier", "message", "date");
            m.events.record(n.oneOf("sourceType", null, "cache-cluster", "replication-group", "serverless-cache",
                            "serverless-cache-snapshot", "cache-parameter-group", "cache-subnet-group", "user",
                            "user-group"),
                    n.requiredString("sourceIdentifier"), n.requiredString("message"), n.instant("date", aws.now()));
            if (!n.has("sourceType")) {
                throw n.error("sourceType", "is required");
            }
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static CacheSettings settings(WorldNode n, CacheSettings base, boolean clusterEnabled, ElastiCacheModel m) {
        CacheSettings s = base == null ? new CacheSettings() : base.copy();
        String engine = n.oneOf("engine", base == null ? "redis" : base.engine, "redis", "valkey");
        if (!engine.equals(s.engine)) {
            s.engine = engine;
            s.engineVersion = engine.equals("valkey") ? "8.0" : "7.1";
        }
        s.engineVersion = n.string("engineVersion", s.engineVersion);
        if (!s.engineVersion.matches("\\d+(\\.\\d+){0,2}")) {
            throw n.error("engineVersion", "must look like 7.1 or 8.0, got '" + s.engineVersion + "'");
        }
        s.cacheNodeType = n.string("cacheNodeType", s.cacheNodeType);
        if (!s.cacheNodeType.startsWith("cache.")) {
            throw n.error("cacheNodeType", "must be a node type like cache.r7g.large, got '" + s.cacheNodeType + "'");
        }
        s.cacheParameterGroupName = n.string("parameterGroup",
                base != null && base.cacheParameterGroupName != null ? base.cacheParameterGroupName
                        : s.defaultParameterGroup(clusterEnabled));
        s.cacheSubnetGroupName = n.string("subnetGroup", s.cacheSubnetGroupName);
        String vpc = m.subnetGroups.get(s.cacheSubnetGroupName);
        s.vpcId = n.string("vpcId", vpc != null ? vpc : s.vpcId);
        if (n.has("securityGroupIds")) {
            s.securityGroupIds = n.strings("securityGroupIds");
        }
        s.kmsKeyId = n.string("kmsKeyId", s.kmsKeyId);
        s.transitEncryptionEnabled = n.bool("transitEncryption", s.transitEncryptionEnabled);
        s.atRestEncryptionEnabled = n.bool("atRestEncryption", s.atRestEncryptionEnabled);
        s.authTokenEnabled = n.bool("authToken", s.authTokenEnabled);
        s.dataTiering = n.bool("dataTiering", s.dataTiering);
        s.snapshotRetentionLimit = n.integer("snapshotRetentionLimit", s.snapshotRetentionLimit, 0, 35);
        s.snapshotWindow = n.string("snapshotWindow", s.snapshotWindow);
        if (!s.snapshotWindow.matches("([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d")) {
            throw n.error("snapshotWindow", "must be hh:mm-hh:mm in UTC, got '" + s.snapshotWindow + "'");
        }
        s.preferredMaintenanceWindow = n.string("maintenanceWindow", s.preferredMaintenanceWindow);
        s.port = n.integer("port", s.port, 1, 65535);
        s.dataSizeMb = n.integer("dataSizeMb", (int) s.dataSizeMb, 0, 10_000_000);
        return s;
    }

    private static void loadGroup(SimulatedAws aws, ElastiCacheModel m, WorldNode n) {
        n.allowOnly(with(SETTINGS, "id", "description", "status", "createTime", "clusterMode", "multiAz",
                "automaticFailover", "notificationTopic", "tags", "shards", "numShards", "replicasPerShard",
                "automaticSnapshotDays"));
        String rawId = n.requiredString("id");
        String id;
        try {
            id = SimulatedElastiCache.validGroupId(rawId, "id");
        } catch (RuntimeException e) {
            throw n.error("id", "is not a valid replication group id (1-40 letters, digits, hyphens; a letter "
                    + "first; no '--'; no trailing '-'): '" + rawId + "'");
        }
        if (m.groups.containsKey(id)) {
            throw n.error("id", "repeats replication group '" + id + "'");
        }
        ReplicationGroupState g = new ReplicationGroupState(id);
        g.clusterEnabled = n.bool("clusterMode", false);
        g.description = n.string("description", id);
        g.status = n.oneOf("status", "available", "available", "creating", "modifying", "create-failed", "deleting");
        g.createTime = n.instant("createTime", aws.now().minus(Duration.ofDays(90)));
        g.settings = settings(n, null, g.clusterEnabled, m);
        g.automaticFailover = n.bool("automaticFailover", g.clusterEnabled);
        g.multiAz = n.bool("multiAz", false);
        if (g.multiAz && !g.automaticFailover) {
            throw n.error("multiAz", "needs automaticFailover: true (as in ElastiCache)");
        }
        String topic = topicArn(aws, n.string("notificationTopic", null));
        List<WorldNode> shards = n.list("shards", "id");
        if (!shards.isEmpty() && (n.has("numShards") || n.has("replicasPerShard"))) {
            throw n.error("shards", "cannot be combined with numShards/replicasPerShard");
        }
        List<String> azs = m.availabilityZones();
        if (shards.isEmpty()) {
            int numShards = n.integer("numShards", 1, 1, 500);
            if (numShards > 1 && !g.clusterEnabled) {
                throw n.error("numShards", "must be 1 unless clusterMode is true");
            }
            int replicas = n.integer("replicasPerShard", g.automaticFailover ? 1 : 0, 0, 5);
            for (int i = 0; i < numShards; i++) {
                ReplicationGroupState.Shard shard = new ReplicationGroupState.Shard(String.format("%04d", i + 1));
                shard.slots = (16384 * i / numShards) + "-" + (16384 * (i + 1) / numShards - 1);
                for (int k = 0; k <= replicas; k++) {
                    shard.members.add(member(g, shard, k, k == 0 ? "primary" : "replica",
                            azs.get((k + i) % azs.size()), null, topic));
                }
                g.shards.add(shard);
            }
        } else {
            if (shards.size() > 1 && !g.clusterEnabled) {
                throw n.error("shards", "may hold one shard only unless clusterMode is true");
            }
            for (int i = 0; i < shards.size(); i++) {
                WorldNode sn = shards.get(i);
                sn.allowOnly("id", "slots", "nodes");
                ReplicationGroupState.Shard shard = new ReplicationGroupState.Shard(
                        sn.string("id", String.format("%04d", i + 1)));
                shard.slots = sn.string("slots", (16384 * i / shards.size()) + "-"
                        + (16384 * (i + 1) / shards.size() - 1));
                List<WorldNode> nodes = sn.list("nodes", "id");
                if (nodes.isEmpty()) {
                    throw sn.error("nodes", "must list at least the primary node");
                }
                int primaries = 0;
                for (int k = 0; k < nodes.size(); k++) {
                    WorldNode nn = nodes.get(k);
                    nn.allowOnly("id", "az", "role", "notificationTopic");
                    String role = nn.oneOf("role", k == 0 ? "primary" : "replica", "primary", "replica");
                    primaries += role.equals("primary") ? 1 : 0;
                    String az = nn.string("az", azs.get((k + i) % azs.size()));
                    if (!az.startsWith(aws.region())) {
                        throw nn.error("az", "must be an availability zone of " + aws.region() + ", got '" + az + "'");
                    }
                    String nodeTopic = nn.has("notificationTopic") ? topicArn(aws, nn.string("notificationTopic", null))
                            : topic;
                    shard.members.add(member(g, shard, k, role, az, nn.string("id", null), nodeTopic));
                }
                if (primaries != 1) {
                    throw sn.error("nodes", "must have exactly one node with role primary, found " + primaries);
                }
                g.shards.add(shard);
            }
        }
        if (g.automaticFailover && g.shards.stream().anyMatch(s -> s.replicas().isEmpty())) {
            throw n.error("automaticFailover", "needs at least one replica in every shard");
        }
        for (CacheNodeState c : (Iterable<CacheNodeState>) g.members()::iterator) {
            if (m.cluster(c.clusterId).isPresent()) {
                throw n.error("shards", "node id '" + c.clusterId + "' is already used by another cache");
            }
        }
        switch (g.status) {
            case "creating" -> g.transitionAt = aws.now().plus(m.timings.groupCreate());
            case "deleting" -> g.transitionAt = aws.now().plus(m.timings.groupDelete());
            default -> { }
        }
        g.members().forEach(c -> c.status = g.status.equals("modifying") ? "modifying"
                : g.status.equals("available") ? "available" : g.status);
        g.backupCheckedUntil = aws.now();
        m.groups.put(id, g);
        tag(m, n, m.arn("replicationgroup", id));
        Map<String, String> tags = n.stringMap("tags");
        g.members().forEach(c -> m.tags.add(m.arn("cluster", c.clusterId), tags));
        automaticSnapshots(aws, m, n, g.settings, id, () -> g, null);
    }

    private static CacheNodeState member(ReplicationGroupState g, ReplicationGroupState.Shard shard, int k, String role,
                                         String az, String id, String topic) {
        String clusterId = id != null ? id : g.clusterEnabled ? String.format("%s-%s-%03d", g.id, shard.id, k + 1)
                : String.format("%s-%03d", g.id, k + 1);
        CacheNodeState c = new CacheNodeState(clusterId);
        c.replicationGroupId = g.id;
        c.shardId = shard.id;
        c.role = role;
        c.availabilityZone = az;
        c.createTime = g.createTime;
        c.notificationTopicArn = topic;
        return c;
    }

    private static String topicArn(SimulatedAws aws, String nameOrArn) {
        if (nameOrArn == null) {
            return null;
        }
        return nameOrArn.startsWith("arn:") ? nameOrArn : aws.sns().topicArn(nameOrArn);
    }

    private static void tag(ElastiCacheModel m, WorldNode n, String arn) {
        Map<String, String> tags = n.stringMap("tags");
        try {
            m.tags.add(arn, tags);
        } catch (RuntimeException e) {
            throw n.error("tags", "are not accepted by ElastiCache: " + e.getMessage());
        }
    }

    private static void automaticSnapshots(SimulatedAws aws, ElastiCacheModel m, WorldNode n, CacheSettings s,
                                           String cacheId, java.util.function.Supplier<ReplicationGroupState> group,
                                           CacheNodeState cluster) {
        int days = n.integer("automaticSnapshotDays", 0, 0, 35);
        if (days == 0) {
            return;
        }
        if (days > s.snapshotRetentionLimit) {
            throw n.error("automaticSnapshotDays", "is " + days + " but snapshotRetentionLimit is "
                    + s.snapshotRetentionLimit + ": older automatic snapshots would already have expired");
        }
        Instant last = ElastiCacheModel.nextWindowStart(s.snapshotWindow, aws.now().minus(Duration.ofDays(1)));
        for (int k = days - 1; k >= 0; k--) {
            Instant w = last.minus(Duration.ofDays(k));
            if (w.isAfter(aws.now()) || !w.isAfter(group != null && group.get() != null ? group.get().createTime
                    : cluster.createTime)) {
                continue;
            }
            SnapshotState snap = m.startSnapshot(ElastiCacheModel.autoName(cacheId, w), "automated",
                    group == null ? null : group.get(), cluster, w, null, false);
            markDone(m, snap, "available");
        }
    }

    private static void markDone(ElastiCacheModel m, SnapshotState s, String status) {
        s.status = status;
        s.pending = SnapshotState.Pending.NONE;
        s.transitionAt = null;
        m.refreshSnapshotting(s.sourceCacheId());
    }

    private static void loadCluster(SimulatedAws aws, ElastiCacheModel m, WorldNode n) {
        n.allowOnly(with(SETTINGS, "id", "status", "createTime", "az", "notificationTopic", "tags",
                "automaticSnapshotDays"));
        String rawId = n.requiredString("id");
        String id;
        try {
            id = SimulatedElastiCache.validGroupId(rawId, "id");
        } catch (RuntimeException e) {
            throw n.error("id", "is not a valid cache cluster id: '" + rawId + "'");
        }
        if (m.cluster(id).isPresent()) {
            throw n.error("id", "repeats cache cluster '" + id + "'");
        }
        CacheNodeState c = new CacheNodeState(id);
        c.settings = settings(n, null, false, m);
        c.status = n.oneOf("status", "available", "available", "creating", "modifying", "create-failed", "deleting");
        c.createTime = n.instant("createTime", aws.now().minus(Duration.ofDays(90)));
        c.availabilityZone = n.string("az", aws.region() + "a");
        c.notificationTopicArn = topicArn(aws, n.string("notificationTopic", null));
        if (c.status.equals("creating")) {
            c.transitionAt = aws.now().plus(m.timings.groupCreate());
        } else if (c.status.equals("deleting")) {
            c.transitionAt = aws.now().plus(m.timings.groupDelete());
        }
        m.standalone.put(id, c);
        tag(m, n, m.arn("cluster", id));
        automaticSnapshots(aws, m, n, c.settings, id, null, c);
    }

    private static void loadServerless(SimulatedAws aws, ElastiCacheModel m, WorldNode n) {
        n.allowOnly("name", "description", "status", "engine", "majorEngineVersion", "fullEngineVersion", "kmsKeyId",
                "securityGroupIds", "subnetIds", "snapshotRetentionLimit", "dailySnapshotTime", "createTime",
                "dataSizeMb", "tags", "automaticSnapshotDays");
        String name = n.requiredString("name");
        if (m.serverless.containsKey(name)) {
            throw n.error("name", "repeats serverless cache '" + name + "'");
        }
        ServerlessCacheState c = new ServerlessCacheState(name);
        c.description = n.string("description", "");
        c.status = n.oneOf("status", "available", "available", "creating", "modifying", "create-failed", "deleting");
        c.engine = n.oneOf("engine", "valkey", "valkey", "redis", "memcached");
        c.majorEngineVersion = n.string("majorEngineVersion", c.engine.equals("valkey") ? "8" : "7");
        c.fullEngineVersion = n.string("fullEngineVersion", c.majorEngineVersion + (c.engine.equals("redis") ? ".1" : ".0"));
        c.kmsKeyId = n.string("kmsKeyId", null);
        c.securityGroupIds = n.strings("securityGroupIds");
        c.subnetIds = n.strings("subnetIds");
        c.snapshotRetentionLimit = n.integer("snapshotRetentionLimit", 0, 0, 35);
        c.dailySnapshotTime = n.string("dailySnapshotTime", "04:00");
        if (!c.dailySnapshotTime.matches("([01]\\d|2[0-3]):[0-5]\\d")) {
            throw n.error("dailySnapshotTime", "must be hh:mm in UTC, got '" + c.dailySnapshotTime + "'");
        }
        c.createTime = n.instant("createTime", aws.now().minus(Duration.ofDays(90)));
        c.dataSizeMb = n.integer("dataSizeMb", 5, 0, 10_000_000);
        if (c.status.equals("creating")) {
            c.transitionAt = aws.now().plus(m.timings.serverlessCreate());
        } else if (c.status.equals("deleting")) {
            c.transitionAt = aws.now().plus(m.timings.groupDelete());
        }
        c.backupCheckedUntil = aws.now();
        m.serverless.put(name, c);
        tag(m, n, m.arn("serverlesscache", name));
        int days = n.integer("automaticSnapshotDays", 0, 0, 35);
        if (days > c.snapshotRetentionLimit) {
            throw n.error("automaticSnapshotDays", "is " + days + " but snapshotRetentionLimit is "
                    + c.snapshotRetentionLimit);
        }
        Instant last = ElastiCacheModel.nextWindowStart(c.dailySnapshotTime, aws.now().minus(Duration.ofDays(1)));
        for (int k = days - 1; k >= 0; k--) {
            Instant w = last.minus(Duration.ofDays(k));
            ServerlessCacheState.Snapshot s = m.startServerlessSnapshot(ElastiCacheModel.autoName(name, w), c,
                    "automated", w, null);
            s.status = "available";
            s.pending = SnapshotState.Pending.NONE;
            s.transitionAt = null;
        }
    }

    private static void loadSnapshot(SimulatedAws aws, ElastiCacheModel m, WorldNode n) {
        n.allowOnly(with(SETTINGS, "name", "source", "status", "replicationGroupId", "cacheClusterId", "createTime",
                "tags", "clusterMode", "numNodeGroups", "automaticFailover", "description", "nodeSnapshots"));
        String source = n.oneOf("source", "manual", "manual", "automated");
        String rg = n.string("replicationGroupId", null);
        String cc = n.string("cacheClusterId", null);
        if (rg == null && cc == null) {
            throw n.error("replicationGroupId", "or cacheClusterId is required: a snapshot is taken from a cache");
        }
        Instant created = n.instant("createTime", aws.now().minus(Duration.ofHours(1)));
        String name = n.string("name", source.equals("automated") ? ElastiCacheModel.autoName(rg != null ? rg : cc,
                created) : null);
        if (name == null) {
            throw n.error("name", "is required for a manual snapshot");
        }
        if (!name.equals(name.toLowerCase())) {
            throw n.error("name", "must be lower-case (ElastiCache stores snapshot names lower-case): '" + name + "'");
        }
        if (m.snapshots.containsKey(name)) {
            throw n.error("name", "repeats snapshot '" + name + "'");
        }
        if (source.equals("automated") && !name.startsWith("automatic.")) {
            throw n.error("name", "of an automated snapshot starts with 'automatic.': '" + name + "'");
        }
        if (source.equals("manual") && name.startsWith("automatic")) {
            throw n.error("name", "starting with 'automatic' is reserved for automated snapshots: '" + name + "'");
        }
        String status = n.oneOf("status", "available", "available", "creating", "failed", "copying", "deleting");
        ReplicationGroupState g = rg == null ? null : m.groups.get(rg);
        CacheNodeState node = null;
        if (cc != null) {
            node = m.cluster(cc).orElse(null);
            if (node != null && g == null && node.replicationGroupId != null) {
                g = m.groups.get(node.replicationGroupId);
            }
        }
        if (source.equals("automated") && g == null && node == null) {
            throw n.error(rg != null ? "replicationGroupId" : "cacheClusterId", "must name a cache in this world: "
                    + "automated snapshots are deleted together with their cache");
        }
        SnapshotState s;
        if ((g != null || node != null) && !n.has("nodeSnapshots")) {
            s = m.startSnapshot(name, source, g, g != null ? node : node, created, n.string("kmsKeyId", null),
                    source.equals("manual"));
            s.settings = settings(n, s.settings, s.clusterEnabled, m);
        } else {
            s = new SnapshotState(name);
            s.source = source;
            s.replicationGroupId = rg;
            s.cacheClusterId = cc;
            s.requestedAt = created;
            s.countsForQuota = source.equals("manual");
            s.clusterEnabled = n.bool("clusterMode", g != null && g.clusterEnabled);
            s.settings = settings(n, g != null ? g.settings : node != null ? m.settingsOf(node) : null,
                    s.clusterEnabled, m);
            s.automaticFailover = n.bool("automaticFailover", s.clusterEnabled);
            s.replicationGroupDescription = n.string("description", rg);
            s.kmsKeyId = n.string("kmsKeyId", s.settings.kmsKeyId);
            s.cacheClusterCreateTime = created.minus(Duration.ofDays(30));
            List<WorldNode> nodes = n.list("nodeSnapshots", "cacheClusterId");
            if (nodes.isEmpty()) {
                int groups = n.integer("numNodeGroups", 1, 1, 500);
                if (groups > 1 && !s.clusterEnabled) {
                    throw n.error("numNodeGroups", "must be 1 unless clusterMode is true");
                }
                for (int i = 0; i < groups; i++) {
                    SnapshotState.NodeSnapshot ns = new SnapshotState.NodeSnapshot();
                    ns.nodeGroupId = rg != null ? String.format("%04d", i + 1) : null;
                    ns.cacheClusterId = cc != null && groups == 1 ? cc : s.clusterEnabled
                            ? String.format("%s-%04d-001", rg, i + 1) : rg + "-001";
                    ns.cacheSizeMb = Math.max(1, s.settings.dataSizeMb / groups);
                    ns.cacheNodeCreateTime = s.cacheClusterCreateTime;
                    ns.snapshotCreateTime = created;
                    ns.slots = (16384 * i / groups) + "-" + (16384 * (i + 1) / groups - 1);
                    ns.primaryAvailabilityZone = aws.region() + "a";
                    s.nodeSnapshots.add(ns);
                }
            } else {
                for (WorldNode nn : nodes) {
                    nn.allowOnly("cacheClusterId", "nodeGroupId", "sizeMb", "cacheNodeCreateTime", "createTime",
                            "slots", "replicaCount", "primaryAvailabilityZone", "replicaAvailabilityZones");
                    SnapshotState.NodeSnapshot ns = new SnapshotState.NodeSnapshot();
                    ns.cacheClusterId = nn.requiredString("cacheClusterId");
                    ns.nodeGroupId = nn.string("nodeGroupId", null);
                    ns.cacheSizeMb = nn.integer("sizeMb", (int) s.settings.dataSizeMb, 0, 10_000_000);
                    ns.cacheNodeCreateTime = nn.instant("cacheNodeCreateTime", s.cacheClusterCreateTime);
                    ns.snapshotCreateTime = nn.instant("createTime", created);
                    ns.slots = nn.string("slots", null);
                    ns.replicaCount = nn.integer("replicaCount", 0, 0, 5);
                    ns.primaryAvailabilityZone = nn.string("primaryAvailabilityZone", null);
                    ns.replicaAvailabilityZones = nn.strings("replicaAvailabilityZones");
                    s.nodeSnapshots.add(ns);
                }
            }
            if (!s.clusterEnabled && s.cacheClusterId == null) {
                s.cacheClusterId = s.nodeSnapshots.get(0).cacheClusterId;
            }
            m.snapshots.put(name, s);
        }
        if (status.equals("creating")) {
            s.status = "creating";
            s.pending = SnapshotState.Pending.CREATE;
            s.transitionAt = created.plus(m.timings.snapshot()).isAfter(aws.now())
                    ? created.plus(m.timings.snapshot()) : aws.now();
            m.refreshSnapshotting(s.sourceCacheId());
        } else if (status.equals("deleting")) {
            markDone(m, s, "deleting");
            s.pending = SnapshotState.Pending.DELETE;
            s.transitionAt = aws.now().plus(m.timings.snapshotDelete());
        } else {
            // A copy or export in flight is not part of a world: the source is simply available.
            markDone(m, s, status.equals("copying") ? "available" : status);
        }
        tag(m, n, m.arn("snapshot", name));
    }

    private static void loadServerlessSnapshot(SimulatedAws aws, ElastiCacheModel m, WorldNode n) {
        n.allowOnly("name", "serverlessCacheName", "type", "status", "createTime", "expiryTime", "kmsKeyId",
                "dataSizeMb", "engine", "majorEngineVersion", "tags");
        String name = n.requiredString("name");
        if (m.serverlessSnapshots.containsKey(name)) {
            throw n.error("name", "repeats serverless snapshot '" + name + "'");
        }
        String cacheName = n.requiredString("serverlessCacheName");
        ServerlessCacheState c = m.serverless.get(cacheName);
        String type = n.oneOf("type", "manual", "manual", "automated");
        if (c == null && type.equals("automated")) {
            throw n.error("serverlessCacheName", "must name a serverless cache in this world: automated snapshots "
                    + "are deleted together with their cache");
        }
        ServerlessCacheState.Snapshot s = new ServerlessCacheState.Snapshot(name);
        s.snapshotType = type;
        s.serverlessCacheName = cacheName;
        s.engine = n.oneOf("engine", c != null ? c.engine : "valkey", "valkey", "redis", "memcached");
        s.majorEngineVersion = n.string("majorEngineVersion", c != null ? c.majorEngineVersion : "8");
        s.kmsKeyId = n.string("kmsKeyId", c != null ? c.kmsKeyId : null);
        s.createTime = n.instant("createTime", aws.now().minus(Duration.ofHours(1)));
        s.expiryTime = n.instant("expiryTime", type.equals("automated")
                ? s.createTime.plus(Duration.ofDays(Math.max(1, c.snapshotRetentionLimit))) : null);
        s.bytesUsed = (long) n.integer("dataSizeMb", c != null ? (int) c.dataSizeMb : 5, 0, 10_000_000) * 1024 * 1024;
        s.status = n.oneOf("status", "available", "available", "creating", "failed");
        if (s.status.equals("creating")) {
            s.pending = SnapshotState.Pending.CREATE;
            s.transitionAt = aws.now().plus(m.timings.snapshot());
        }
        m.serverlessSnapshots.put(name, s);
        tag(m, n, m.arn("serverlesscachesnapshot", name));
    }

    private static void loadBucket(SimulatedAws aws, WorldNode n) {
        n.allowOnly("name", "region", "objectOwnership", "grants", "elastiCacheExportGrant", "objects");
        String name = n.requiredString("name");
        if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw n.error("name", "is not a valid S3 bucket name: '" + name + "'");
        }
        String ownership = n.oneOf("objectOwnership", "BucketOwnerEnforced", "BucketOwnerEnforced",
                "BucketOwnerPreferred", "ObjectWriter", "none");
        aws.s3().createBucket(name, n.string("region", aws.region()),
                ownership.equals("none") ? null : ObjectOwnership.fromValue(ownership));
        for (WorldNode g : n.list("grants", "canonicalId")) {
            g.allowOnly("canonicalId", "permissions");
            List<Permission> ps = new ArrayList<>();
            for (String p : g.strings("permissions")) {
                Permission perm = Permission.fromValue(p);
                if (perm == Permission.UNKNOWN_TO_SDK_VERSION) {
                    throw g.error("permissions", "has unknown permission '" + p
                            + "' (READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL)");
                }
                ps.add(perm);
            }
            aws.s3().grant(name, g.requiredString("canonicalId"), ps.toArray(Permission[]::new));
        }
        if (n.bool("elastiCacheExportGrant", false)) {
            aws.s3().grantElastiCacheExport(name);
        }
        n.stringMap("objects").forEach((k, v) -> aws.s3().putObjectDirect(name, k, v.getBytes(StandardCharsets.UTF_8)));
    }

    // =====================================================================================================
    // Writing
    // =====================================================================================================

    static ObjectNode snapshot(SimulatedAws aws) {
        ElastiCacheModel m = aws.elastiCache().model();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode account = root.putObject("account");
        account.put("accountId", aws.accountId());
        account.put("region", aws.region());
        account.put("now", aws.now().toString());
        root.put("notificationShape", m.notificationShape.name());
        ArrayNode subnets = root.putArray("subnetGroups");
        m.subnetGroups.forEach((k, v) -> subnets.addObject().put("name", k).put("vpcId", v));
        ArrayNode groups = root.putArray("replicationGroups");
        for (ReplicationGroupState g : m.groups.values()) {
            ObjectNode o = groups.addObject();
            o.put("id", g.id);
            o.put("description", g.description);
            o.put("status", g.status);
            o.put("createTime", g.createTime.toString());
            o.put("clusterMode", g.clusterEnabled);
            o.put("multiAz", g.multiAz);
            o.put("automaticFailover", g.automaticFailover);
            writeSettings(o, g.settings);
            tags(o, m, m.arn("replicationgroup", g.id));
            ArrayNode shards = o.putArray("shards");
            for (ReplicationGroupState.Shard s : g.shards) {
                ObjectNode so = shards.addObject();
                so.put("id", s.id);
                so.put("slots", s.slots);
                ArrayNode nodes = so.putArray("nodes");
                s.members.forEach(c -> {
                    ObjectNode no = nodes.addObject().put("id", c.clusterId).put("az", c.availabilityZone)
                            .put("role", c.role);
                    if (c.notificationTopicArn != null) {
                        no.put("notificationTopic", c.notificationTopicArn);
                    }
                });
            }
        }
        ArrayNode clusters = root.putArray("cacheClusters");
        for (CacheNodeState c : m.standalone.values()) {
            ObjectNode o = clusters.addObject();
            o.put("id", c.clusterId);
            o.put("status", c.status);
            o.put("createTime", c.createTime.toString());
            o.put("az", c.availabilityZone);
            if (c.notificationTopicArn != null) {
                o.put("notificationTopic", c.notificationTopicArn);
            }
            writeSettings(o, c.settings);
            tags(o, m, m.arn("cluster", c.clusterId));
        }
        ArrayNode serverless = root.putArray("serverlessCaches");
        for (ServerlessCacheState c : m.serverless.values()) {
            ObjectNode o = serverless.addObject();
            o.put("name", c.name);
            o.put("description", c.description);
            o.put("status", c.status);
            o.put("engine", c.engine);
            o.put("majorEngineVersion", c.majorEngineVersion);
            o.put("fullEngineVersion", c.fullEngineVersion);
            if (c.kmsKeyId != null) {
                o.put("kmsKeyId", c.kmsKeyId);
            }
            c.securityGroupIds.forEach(o.withArray("securityGroupIds")::add);
            c.subnetIds.forEach(o.withArray("subnetIds")::add);
            o.put("snapshotRetentionLimit", c.snapshotRetentionLimit);
            o.put("dailySnapshotTime", c.dailySnapshotTime);
            o.put("createTime", c.createTime.toString());
            o.put("dataSizeMb", c.dataSizeMb);
            tags(o, m, m.arn("serverlesscache", c.name));
        }
        ArrayNode snaps = root.putArray("snapshots");
        for (SnapshotState s : m.snapshots.values()) {
            ObjectNode o = snaps.addObject();
            o.put("name", s.name);
            o.put("source", s.source);
            o.put("status", s.status);
            if (s.replicationGroupId != null) {
                o.put("replicationGroupId", s.replicationGroupId);
                o.put("description", s.replicationGroupDescription);
            }
            if (s.cacheClusterId != null) {
                o.put("cacheClusterId", s.cacheClusterId);
            }
            o.put("createTime", s.requestedAt.toString());
            o.put("clusterMode", s.clusterEnabled);
            o.put("automaticFailover", s.automaticFailover);
            writeSettings(o, s.settings);
            if (s.kmsKeyId != null) {
                o.put("kmsKeyId", s.kmsKeyId);
            }
            ArrayNode nodes = o.putArray("nodeSnapshots");
            for (SnapshotState.NodeSnapshot n : s.nodeSnapshots) {
                ObjectNode no = nodes.addObject();
                no.put("cacheClusterId", n.cacheClusterId);
                if (n.nodeGroupId != null) {
                    no.put("nodeGroupId", n.nodeGroupId);
                }
                no.put("sizeMb", n.cacheSizeMb);
                if (n.cacheNodeCreateTime != null) {
                    no.put("cacheNodeCreateTime", n.cacheNodeCreateTime.toString());
                }
                no.put("createTime", n.snapshotCreateTime.toString());
                if (n.slots != null) {
                    no.put("slots", n.slots);
                }
                no.put("replicaCount", n.replicaCount);
                if (n.primaryAvailabilityZone != null) {
                    no.put("primaryAvailabilityZone", n.primaryAvailabilityZone);
                }
                n.replicaAvailabilityZones.forEach(no.withArray("replicaAvailabilityZones")::add);
            }
            tags(o, m, m.arn("snapshot", s.name));
        }
        ArrayNode sSnaps = root.putArray("serverlessSnapshots");
        for (ServerlessCacheState.Snapshot s : m.serverlessSnapshots.values()) {
            ObjectNode o = sSnaps.addObject();
            o.put("name", s.name);
            o.put("serverlessCacheName", s.serverlessCacheName);
            o.put("type", s.snapshotType);
            o.put("status", s.status.equals("deleting") ? "available" : s.status);
            o.put("createTime", s.createTime.toString());
            if (s.expiryTime != null) {
                o.put("expiryTime", s.expiryTime.toString());
            }
            if (s.kmsKeyId != null) {
                o.put("kmsKeyId", s.kmsKeyId);
            }
            o.put("dataSizeMb", s.bytesUsed / (1024 * 1024));
            o.put("engine", s.engine);
            o.put("majorEngineVersion", s.majorEngineVersion);
            tags(o, m, m.arn("serverlesscachesnapshot", s.name));
        }
        ArrayNode events = root.putArray("events");
        for (EventLog.Entry e : m.events.all()) {
            events.addObject().put("sourceType", e.sourceType()).put("sourceIdentifier", e.sourceIdentifier())
                    .put("message", e.message()).put("date", e.date().toString());
        }
        ArrayNode buckets = root.putArray("s3Buckets");
        for (SimulatedS3.Bucket b : aws.s3().allBuckets()) {
            ObjectNode o = buckets.addObject();
            o.put("name", b.name);
            o.put("region", b.region);
            o.put("objectOwnership", b.ownership == null ? "none" : b.ownership.toString());
            ArrayNode grants = o.putArray("grants");
            b.grants.forEach((id, ps) -> {
                ObjectNode go = grants.addObject().put("canonicalId", id);
                ps.forEach(p -> go.withArray("permissions").add(p.toString()));
            });
            ObjectNode objects = o.putObject("objects");
            b.objects.forEach((k, v) -> objects.put(k, new String(v.bytes(), StandardCharsets.UTF_8)));
        }
        return root;
    }

    private static void writeSettings(ObjectNode o, CacheSettings s) {
        o.put("engine", s.engine);
        o.put("engineVersion", s.engineVersion);
        o.put("cacheNodeType", s.cacheNodeType);
        o.put("parameterGroup", s.cacheParameterGroupName);
        o.put("subnetGroup", s.cacheSubnetGroupName);
        o.put("vpcId", s.vpcId);
        s.securityGroupIds.forEach(o.withArray("securityGroupIds")::add);
        if (s.kmsKeyId != null) {
            o.put("kmsKeyId", s.kmsKeyId);
        }
        o.put("transitEncryption", s.transitEncryptionEnabled);
        o.put("atRestEncryption", s.atRestEncryptionEnabled);
        o.put("authToken", s.authTokenEnabled);
        o.put("dataTiering", s.dataTiering);
        o.put("snapshotRetentionLimit", s.snapshotRetentionLimit);
        o.put("snapshotWindow", s.snapshotWindow);
        o.put("maintenanceWindow", s.preferredMaintenanceWindow);
        o.put("port", s.port);
        o.put("dataSizeMb", s.dataSizeMb);
    }

    private static void tags(ObjectNode o, ElastiCacheModel m, String arn) {
        ObjectNode t = o.putObject("tags");
        m.tags.ordered(arn).forEach(t::put);
    }
}

package dev.cachekeeper.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.CacheSelection;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.SimulatedAws;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

/**
 * A simulated account for the archiver's tests, written as a world file: a protected Multi-AZ group
 * {@code orders-cache} (nodes orders-cache-001/002, backups at 04:30), an unprotected group {@code web-cache},
 * a protected serverless cache {@code sessions} (backups at 03:00), an alert topic, and whatever a test adds.
 */
final class ArchiveWorld {
    static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");
    static final String TOPIC = "cachekeeper-alerts";

    final ObjectNode world = Json.MAPPER.createObjectNode();

    ArchiveWorld() {
        world.putObject("account").put("accountId", "123456789012").put("region", "eu-west-1")
                .put("now", NOW.toString());
        world.putArray("snsTopics").addObject().put("name", TOPIC);
        ArrayNode groups = world.putArray("replicationGroups");
        ObjectNode orders = groups.addObject().put("id", "orders-cache").put("description", "Orders")
                .put("engine", "valkey").put("engineVersion", "8.0").put("cacheNodeType", "cache.r7g.large")
                .put("clusterMode", false).put("multiAz", true).put("automaticFailover", true)
                .put("snapshotRetentionLimit", 7).put("snapshotWindow", "04:30-05:30")
                .put("createTime", "2026-06-01T09:00:00Z").put("automaticSnapshotDays", 3);
        orders.putObject("tags").put("cachekeeper:protect", "true").put("team", "orders");
        ArrayNode nodes = orders.putArray("shards").addObject().put("id", "0001").putArray("nodes");
        nodes.addObject().put("id", "orders-cache-001").put("az", "eu-west-1a").put("role", "primary");
        nodes.addObject().put("id", "orders-cache-002").put("az", "eu-west-1b").put("role", "replica");
        groups.addObject().put("id", "web-cache").put("description", "Web").put("engine", "redis")
                .put("engineVersion", "7.1").put("cacheNodeType", "cache.r6g.large").put("clusterMode", false)
                .put("snapshotRetentionLimit", 5).put("snapshotWindow", "02:00-03:00")
                .put("createTime", "2026-03-15T12:00:00Z").put("automaticSnapshotDays", 2)
                .putObject("tags").put("team", "web");
        ObjectNode sessions = world.putArray("serverlessCaches").addObject().put("name", "sessions")
                .put("engine", "valkey").put("majorEngineVersion", "8").put("snapshotRetentionLimit", 3)
                .put("dailySnapshotTime", "03:00").put("createTime", "2026-09-01T10:00:00Z")
                .put("automaticSnapshotDays", 2);
        sessions.putObject("tags").put("cachekeeper:protect", "true").put("team", "sessions");
        world.putArray("snapshots");
        world.putArray("s3Buckets");
    }

    /** A manual snapshot of {@code orders-cache} taken {@code daysAgo}, with the given tags. */
    ArchiveWorld manual(String name, String group, int daysAgo, Map<String, String> tags) {
        ObjectNode s = ((ArrayNode) world.get("snapshots")).addObject().put("name", name).put("source", "manual")
                .put("replicationGroupId", group).put("createTime", NOW.minus(Duration.ofDays(daysAgo)).toString());
        ObjectNode t = s.putObject("tags");
        tags.forEach(t::put);
        return this;
    }

    /** A plain replication group with automatic backups (at 04:00) of the last {@code days} days. */
    ArchiveWorld group(String id, int days, Map<String, String> tags) {
        ObjectNode g = ((ArrayNode) world.get("replicationGroups")).addObject().put("id", id).put("engine", "valkey")
                .put("engineVersion", "8.0").put("cacheNodeType", "cache.r7g.large").put("clusterMode", false)
                .put("snapshotRetentionLimit", 7).put("snapshotWindow", "04:00-05:00")
                .put("createTime", "2026-05-01T00:00:00Z").put("automaticSnapshotDays", days);
        ObjectNode t = g.putObject("tags");
        tags.forEach(t::put);
        return this;
    }

    /** A single-node cluster outside any replication group, with automatic backups (at 04:00) of {@code days}. */
    ArchiveWorld standalone(String id, int days, Map<String, String> tags) {
        ObjectNode c = (world.has("cacheClusters") ? (ArrayNode) world.get("cacheClusters")
                : world.putArray("cacheClusters")).addObject().put("id", id).put("engine", "redis")
                .put("engineVersion", "7.1").put("cacheNodeType", "cache.t4g.medium").put("snapshotRetentionLimit", 7)
                .put("snapshotWindow", "04:00-05:00").put("createTime", "2026-05-01T00:00:00Z")
                .put("automaticSnapshotDays", days);
        ObjectNode t = c.putObject("tags");
        tags.forEach(t::put);
        return this;
    }

    /** An archive copy as an earlier run would have left it: our name, our tags. */
    ArchiveWorld copy(String source, String group, int daysAgo) {
        return manual(SnapshotArchiver.copyName(source), group, daysAgo, Map.of("cachekeeper:managed", "true",
                "cachekeeper:reason", "archive", "cachekeeper:source-snapshot", source,
                "cachekeeper:source-cache", group));
    }

    ArchiveWorld bucket(String name, String ownership, boolean grant) {
        ObjectNode b = ((ArrayNode) world.get("s3Buckets")).addObject().put("name", name);
        if (ownership != null) {
            b.put("objectOwnership", ownership);
        }
        b.put("elastiCacheExportGrant", grant);
        return this;
    }

    SimulatedAws build() {
        return SimulatedAws.fromWorld(world.toString());
    }

    static ArchiverSettings settings() {
        return new ArchiverSettings(Duration.ofDays(90), 3, 0, 0, 0, Optional.empty(), false, Optional.empty(), 4,
                Duration.ofSeconds(60), false, new CacheSelection("cachekeeper:protect", "true", false), "eu-west-1");
    }

    /** Every cache selected, tagged or not (CACHEKEEPER_PROTECT_ALL). */
    static ArchiverSettings protectAll(ArchiverSettings s) {
        return new ArchiverSettings(s.retention(), s.minCopies(), s.keepDaily(), s.keepWeekly(), s.keepMonthly(),
                s.exportBucket(), s.manageBucketAcl(), s.kmsKeyId(), s.concurrency(), s.stopMargin(), s.dryRun(),
                new CacheSelection(s.selection().tagKey(), s.selection().tagValue(), true), s.region());
    }

    static ArchiverSettings retention(ArchiverSettings s, Duration retention, int minCopies) {
        return new ArchiverSettings(retention, minCopies, 0, 0, 0, s.exportBucket(), s.manageBucketAcl(),
                s.kmsKeyId(), s.concurrency(), s.stopMargin(), s.dryRun(), s.selection(), s.region());
    }

    static ArchiverSettings withExport(ArchiverSettings s, String bucket) {
        return new ArchiverSettings(s.retention(), s.minCopies(), s.keepDaily(), s.keepWeekly(), s.keepMonthly(),
                Optional.of(bucket), s.manageBucketAcl(), s.kmsKeyId(), s.concurrency(), s.stopMargin(), s.dryRun(),
                s.selection(), s.region());
    }

    /** Back-off waits move the simulated clock instead of sleeping. */
    static Retrier retrier(SimulatedAws aws) {
        return Retrier.standard(aws.clock(), aws::advance);
    }

    static SnapshotArchiver archiver(SimulatedAws aws, ArchiverSettings s) {
        return archiver(aws, aws.elastiCache(), s);
    }

    /** The archiver, reaching the account's ElastiCache through {@code elastiCache}. */
    static SnapshotArchiver archiver(SimulatedAws aws, ElastiCacheClient elastiCache, ArchiverSettings s) {
        Retrier r = retrier(aws);
        return new SnapshotArchiver(elastiCache, aws::resourceGroupsTagging,
                new ExportBucketCheck(aws.s3(), r), new AlertPublisher(aws.sns(), aws.sns().topicArn(TOPIC), r),
                new RecordingMetrics(), aws.clock(), r, s);
    }

    static String arn(String type, String id) {
        return "arn:aws:elasticache:eu-west-1:123456789012:" + type + ":" + id;
    }
}

package dev.cachekeeper.archive.benchmark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.archive.ArchiverSettings;
import dev.cachekeeper.archive.ExportBucketCheck;
import dev.cachekeeper.archive.SnapshotArchiver;
import dev.cachekeeper.archive.SweepReport;
import dev.cachekeeper.core.CacheSelection;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.SimulatedAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Not a test: the daily sweep over a large simulated account, with every call taking 50 ms as a real API call
 * roughly does, printing the calls it made by operation and the wall time.
 *
 * <p>The account, in steady state after months of archiving: 1,000 caches (950 replication groups, 50 serverless),
 * 80% of them selected. Each has 7 days of automatic backups, archive copies of the last 27 days, and one copy
 * past the 90-day retention: 35 snapshots per cache, 35,000 in all. Every event of the last day was missed, so the
 * sweep has to copy the newest backup of each selected cache and prune one expired copy of every cache.
 *
 * <p>Run: {@code ./mvnw -q -pl functions/snapshot-archiver -am -Pbenchmark verify}
 * (arguments through {@code -Dbenchmark.args="<caches> <latencyMs> <concurrency>"}).
 */
public final class SweepBenchmark {
    static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");

    public static void main(String[] args) {
        int caches = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        long latencyMs = args.length > 1 ? Long.parseLong(args[1]) : 50;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : ArchiverSettings.DEFAULT_CONCURRENCY;
        int serverless = caches / 20;

        long t0 = System.nanoTime();
        SimulatedAws aws = SimulatedAws.fromWorld(world(caches - serverless, serverless).toString());
        long loaded = System.nanoTime();
        long total = aws.elastiCache().snapshotNames().size() + countServerless(aws);
        System.out.printf("world: %d caches (%d serverless), %d snapshots, built in %.1f s%n", caches, serverless,
                total, (loaded - t0) / 1e9);

        aws.setLatency(Duration.ofMillis(latencyMs));
        Retrier retrier = Retrier.standard(aws.clock(), aws::advance);
        ArchiverSettings settings = new ArchiverSettings(Duration.ofDays(90), 3, 0, 0, 0, Optional.empty(), false,
                Optional.empty(), concurrency, Duration.ofSeconds(60), false,
                new CacheSelection("cachekeeper:protect", "true", false), aws.region());
        SnapshotArchiver archiver = new SnapshotArchiver(aws.elastiCache(), aws::resourceGroupsTagging,
                new ExportBucketCheck(aws.s3(), retrier),
                new AlertPublisher(aws.sns(), aws.sns().topic("cachekeeper-alerts"), retrier), new RecordingMetrics(),
                aws.clock(), retrier, settings);
        LocalContext context = new LocalContext("snapshot-archiver", java.time.Clock.systemUTC(),
                Duration.ofMinutes(15));
        aws.clearCalls();

        long start = System.nanoTime();
        SweepReport report = archiver.sweep(false, context::getRemainingTimeInMillis);
        double wall = (System.nanoTime() - start) / 1e9;

        Map<String, Integer> byOp = new TreeMap<>();
        for (ApiCall c : aws.calls()) {
            byOp.merge(c.service() + ":" + c.operation(), 1, Integer::sum);
        }
        System.out.printf("sweep: latency %d ms per call, concurrency %d%n", latencyMs, concurrency);
        byOp.forEach((op, n) -> System.out.printf("  %-45s %6d%n", op, n));
        System.out.printf("  %-45s %6d%n", "total", aws.calls().size());
        System.out.printf("wall time: %.1f s%n", wall);
        Map<String, Object> summary = report.toMap();
        summary.remove("elapsedMs");
        System.out.println("report: " + summary);
    }

    private static long countServerless(SimulatedAws aws) {
        long n = 0;
        String token = null;
        do {
            String t = token;
            var page = aws.elastiCache().describeServerlessCacheSnapshots(b -> b.nextToken(t).maxResults(50));
            n += page.serverlessCacheSnapshots().size();
            token = page.nextToken();
        } while (token != null);
        return n;
    }

    public static ObjectNode world(int groups, int serverless) {
        ObjectNode w = Json.MAPPER.createObjectNode();
        w.put("description", "archiver benchmark: " + (groups + serverless) + " caches in steady state");
        w.putObject("account").put("accountId", "123456789012").put("region", "eu-west-1").put("now", NOW.toString());
        ArrayNode rgs = w.putArray("replicationGroups");
        ArrayNode sls = w.putArray("serverlessCaches");
        ArrayNode snaps = w.putArray("snapshots");
        ArrayNode slSnaps = w.putArray("serverlessSnapshots");
        for (int i = 0; i < groups + serverless; i++) {
            boolean isServerless = i >= groups;
            String id = (isServerless ? "sl-" : "rg-") + String.format("%04d", i);
            boolean selected = i % 5 != 0;
            ObjectNode c = isServerless ? sls.addObject().put("name", id).put("engine", "valkey")
                    .put("majorEngineVersion", "8").put("snapshotRetentionLimit", 7).put("dailySnapshotTime", "04:30")
                    : rgs.addObject().put("id", id).put("description", "bench").put("engine", "valkey")
                    .put("engineVersion", "8.0").put("cacheNodeType", "cache.r7g.large").put("clusterMode", false)
                    .put("snapshotRetentionLimit", 7).put("snapshotWindow", "04:30-05:30");
            c.put("createTime", "2026-01-01T00:00:00Z").put("automaticSnapshotDays", 7);
            ObjectNode tags = c.putObject("tags").put("team", "t" + (i % 17));
            if (selected) {
                tags.put("cachekeeper:protect", "true");
            }
            // Copies of the last 27 days' backups (days 1..27; day 0 is the one the events missed), and one
            // copy past retention.
            for (int d = 1; d <= 28; d++) {
                int daysAgo = d <= 27 ? d : 95;
                Instant taken = Instant.parse("2026-11-21T04:30:00Z").minus(Duration.ofDays(daysAgo));
                String source = "automatic." + id + "-" + java.time.format.DateTimeFormatter
                        .ofPattern("yyyy-MM-dd-HH-mm").withZone(java.time.ZoneOffset.UTC).format(taken);
                String copy = SnapshotArchiver.copyName(source);
                ObjectNode s = isServerless
                        ? slSnaps.addObject().put("name", copy).put("serverlessCacheName", id).put("type", "manual")
                        : snaps.addObject().put("name", copy).put("source", "manual").put("replicationGroupId", id);
                s.put("createTime", taken.toString());
                s.putObject("tags").put("cachekeeper:managed", "true").put("cachekeeper:reason", "archive")
                        .put("cachekeeper:source-snapshot", source).put("cachekeeper:source-cache", id)
                        .put("cachekeeper:expires", taken.plus(Duration.ofDays(90)).toString());
            }
        }
        return w;
    }

    private SweepBenchmark() {
    }

}

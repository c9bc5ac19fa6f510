package dev.cachekeeper.archive;

import dev.cachekeeper.core.alert.Alert;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.alert.Severity;
import dev.cachekeeper.core.aws.ElastiCacheArns;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.snapshot.CacheSnapshot;
import dev.cachekeeper.core.snapshot.DeletionGuard;
import dev.cachekeeper.core.snapshot.ManagedTags;
import dev.cachekeeper.core.snapshot.SnapshotNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

/**
 * Keeps manual, tagged copies of the automatic (and final) snapshots of the selected caches, so their data
 * outlives the 35-day automatic window and the cache itself; optionally exports each new copy to S3; and prunes
 * copies past the retention policy, only ever its own.
 *
 * <p>Two ways in: a {@code Snapshot Completed} event copies that one snapshot at once, reading its cache's tags
 * live; the daily sweep lists the account's snapshots, its caches and their tags in pages (the tags from the
 * Resource Groups Tagging API, see {@link TagIndex}), copies whatever the events missed and prunes. Both are
 * idempotent: a copy's name is derived from its source, so a repeat finds the existing copy. A sweep that runs short
 * of time stops starting new work and the next run picks up the rest (it recomputes everything from the listing, so
 * nothing needs remembering between runs).
 */
public final class SnapshotArchiver {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotArchiver.class);

    /** Copy names are {@code cachekeeper-archive-<source name>}. */
    public static final String PURPOSE = "archive";
    /** Whether a copy was made from an automatic backup or from a final (or other manual) snapshot. */
    public static final String ARCHIVED_FROM = "cachekeeper:archived-from";
    /**
     * When the copied data was taken. A serverless snapshot reports only its own creation time, which for a copy is
     * when it was copied: retention reads this tag instead, so it counts from the data for both kinds of copy.
     */
    public static final String DATA_TAKEN = "cachekeeper:data-taken";

    private final SnapshotStore store;
    private final TagIndex tagIndex;
    private final ExportBucketCheck bucketCheck;
    private final AlertPublisher alerts;
    private final Metrics metrics;
    private final Clock clock;
    private final ArchiverSettings settings;
    private final RetentionPolicy policy;

    /** {@code tagging} is asked for the client only when a sweep first reads tags. */
    public SnapshotArchiver(ElastiCacheClient elastiCache, Supplier<ResourceGroupsTaggingApiClient> tagging,
                            ExportBucketCheck bucketCheck, AlertPublisher alerts, Metrics metrics, Clock clock,
                            Retrier retrier, ArchiverSettings settings) {
        this.store = new SnapshotStore(elastiCache, retrier);
        this.tagIndex = new TagIndex(tagging, retrier);
        this.bucketCheck = bucketCheck;
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = settings;
        this.policy = settings.retentionPolicy();
    }

    public ArchiverSettings settings() {
        return settings;
    }

    /** The copy of {@code sourceName}: always the same name for the same source. */
    public static String copyName(String sourceName) {
        return SnapshotNames.derive(PURPOSE, sourceName);
    }

    // ------------------------------------------------------------------------------------------------ events

    /** Copies the snapshot a {@code Snapshot Completed} event is about, if it belongs to a selected cache. */
    public Map<String, Object> archive(CacheEvent event, boolean dryRun) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("action", "archive");
        out.put("dryRun", dryRun);
        out.put("cacheId", event.cacheId());
        Optional<CacheSnapshot> resolved = resolve(event);
        if (resolved.isEmpty()) {
            return skip(out, event.cacheId(), null, "no automatic or final snapshot of this cache was found");
        }
        CacheSnapshot src = resolved.get();
        out.put("snapshot", src.name());
        if (SnapshotNames.hasPrefix(src.name())) {
            return skip(out, src.cacheId(), src, "the snapshot is one of cachekeeper's own; not copied again");
        }
        if (!ArchiveRules.copyable(src)) {
            return skip(out, src.cacheId(), src, "the snapshot is '" + src.status()
                    + "', not available; the next sweep copies it once it is");
        }
        Optional<ElastiCacheArns> arns = SnapshotStore.arnsOf(src);
        if (arns.isEmpty()) {
            return skip(out, src.cacheId(), src, "the snapshot has no ARN to find its cache's tags by");
        }
        Optional<Map<String, String>> cacheTags = store.tags(arns.get().cache(src.cacheKind(), src.cacheId()));
        Map<String, String> tagsForCopy;
        if (cacheTags.isPresent()) {
            if (!src.automatic()) {
                return skip(out, src.cacheId(), src, "a manual snapshot of a cache that still exists is its owner's"
                        + " and never expires; only automatic and final snapshots are archived");
            }
            if (!settings.selection().selects(cacheTags.get())) {
                return skip(out, src.cacheId(), src, "the cache is not selected (" + settings.selection().describe()
                        + ")");
            }
            tagsForCopy = cacheTags.get();
        } else {
            Map<String, String> snapshotTags = store.tags(src.arn()).orElse(Map.of());
            boolean heldCopies = store.ofCache(src.cacheKind(), src.cacheId()).stream()
                    .anyMatch(ArchiveRules::namedAsCopy);
            if (!heldCopies && !settings.selection().selects(snapshotTags)) {
                return skip(out, src.cacheId(), src, "the cache is gone and was not selected: no archive copies of"
                        + " it exist and the snapshot's own tags do not select it");
            }
            tagsForCopy = snapshotTags;
        }
        SweepReport report = new SweepReport(dryRun);
        CopyOutcome outcome;
        try {
            outcome = copyOne(src, tagsForCopy, dryRun, report);
        } catch (AwsServiceException e) {
            LOG.error("copy failed", entry("cacheId", src.cacheId()), entry("snapshot", src.name()),
                    entry("errorCode", Retrier.errorCode(e)), entry("errorMessage", e.getMessage()));
            metric("ArchiveCopyFailures", 1);
            if (!dryRun) {
                alert(Severity.WARNING, src.cacheId() + ": snapshot copy failed",
                        "cachekeeper could not copy snapshot " + src.name() + " of " + CacheKey.of(src) + ": "
                                + Retrier.errorCode(e) + " - " + e.getMessage()
                                + "\nThe daily archive sweep tries again.", src.cacheId());
            }
            throw e;
        }
        out.put("copy", copyName(src.name()));
        out.put("outcome", outcome.wire);
        if (report.exportProblem() != null) {
            out.put("exportProblem", report.exportProblem());
        }
        if (!report.failures().isEmpty()) {
            out.put("failures", report.failures().stream().map(f -> f.during() + " " + f.errorCode()).toList());
        }
        metric("ArchiveCopies", outcome == CopyOutcome.COPIED ? 1 : 0);
        return out;
    }

    private Map<String, Object> skip(Map<String, Object> out, String cacheId, CacheSnapshot src, String why) {
        LOG.info("snapshot not archived", entry("cacheId", cacheId),
                entry("snapshot", src == null ? "" : src.name()), entry("reason", why));
        out.put("outcome", "skipped");
        out.put("reason", why);
        return out;
    }

    /**
     * The snapshot the event names; or, when the source said only which node finished (the keyed SNS message),
     * the newest available automatic or final snapshot of that cache.
     */
    Optional<CacheSnapshot> resolve(CacheEvent e) {
        if (e.snapshotName() != null) {
            return store.named(e.snapshotName(), e.kind() == CacheKind.SERVERLESS_CACHE);
        }
        List<CacheSnapshot> candidates = switch (e.kind()) {
            case SERVERLESS_CACHE -> store.ofCache(CacheKind.SERVERLESS_CACHE, e.cacheId());
            case REPLICATION_GROUP -> store.ofCache(CacheKind.REPLICATION_GROUP, e.cacheId());
            case CACHE_CLUSTER -> {
                String node = e.nodeId() != null ? e.nodeId() : e.cacheId();
                List<CacheSnapshot> own = notOurs(store.ofCache(CacheKind.CACHE_CLUSTER, node));
                // A member node of a replication group: its snapshots are listed under the group.
                yield own.isEmpty() ? store.replicationGroupOf(node)
                        .map(rg -> store.ofCache(CacheKind.REPLICATION_GROUP, rg)).orElse(List.of()) : own;
            }
        };
        return notOurs(candidates).stream().filter(ArchiveRules::copyable)
                .min(ArchiveRules.NEWEST_FIRST);
    }

    private static List<CacheSnapshot> notOurs(List<CacheSnapshot> list) {
        return list.stream().filter(s -> !SnapshotNames.hasPrefix(s.name())).toList();
    }

    // ------------------------------------------------------------------------------------------------ sweep

    /**
     * Copies every automatic (and final) snapshot of a selected cache that has no copy yet, and prunes copies past
     * retention. Starts no new cache once less than the stop margin is left of {@code remainingMillis}.
     */
    public SweepReport sweep(boolean dryRun, LongSupplier remainingMillis) {
        long started = System.nanoTime();
        SweepReport report = new SweepReport(dryRun);
        Deadline deadline = new Deadline(remainingMillis, settings.stopMargin());
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "archive-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            Optional<Listing> listing = list(pool, report).map(l -> dateServerlessCopies(pool, l));
            List<CachePlan> plans = listing.map(l -> plan(l, report)).orElse(List.of());
            Optional<Lookups> lookups = listing.isPresent() ? lookUp(pool, plans, listing.get().copyTags(), report)
                    : Optional.empty();
            if (lookups.isPresent()) {
                List<Future<?>> running = new ArrayList<>();
                for (CachePlan p : plans) {
                    running.add(pool.submit(() -> work(p, lookups.get(), dryRun, deadline, report)));
                }
                for (Future<?> f : running) {
                    join(f);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        report.elapsed(Duration.ofNanos(System.nanoTime() - started));
        finish(report);
        return report;
    }

    /** All snapshots of the account: automatic and manual node-based ones, and serverless ones, side by side. */
    private Optional<Listing> list(ExecutorService pool, SweepReport report) {
        ConcurrentLinkedQueue<CacheSnapshot> all = new ConcurrentLinkedQueue<>();
        List<Future<?>> streams = List.of(
                pool.submit(() -> store.eachNodeSnapshot("system", all::add)),
                pool.submit(() -> store.eachNodeSnapshot("user", all::add)),
                pool.submit(() -> store.eachServerlessSnapshot(null, all::add)));
        try {
            for (Future<?> f : streams) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.error("could not list the account's snapshots; nothing copied or pruned",
                    entry("errorCode", Retrier.errorCode(cause)),
                    entry("errorMessage", String.valueOf(cause.getMessage())));
            report.fail(new SweepReport.Failure("(account)", "listing snapshots", Retrier.errorCode(cause),
                    String.valueOf(cause.getMessage())));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        report.snapshotsSeen.set(all.size());
        return Optional.of(new Listing(List.copyOf(all), Map.of()));
    }

    /**
     * Dates each serverless copy by its {@link #DATA_TAKEN} tag (read in calls of 100 ARNs), as node-based copies
     * are dated by their node snapshots. A copy made late, say of a 30-day-old backup on the archiver's first sweep
     * or of an old final snapshot, would otherwise outlive its retention by that much. Tags that cannot be read
     * leave the copy times, which are never earlier than the data: nothing is pruned early.
     */
    private Listing dateServerlessCopies(ExecutorService pool, Listing listing) {
        List<String> arns = listing.snapshots().stream().filter(s -> s.serverless() && ArchiveRules.namedAsCopy(s))
                .map(CacheSnapshot::arn).filter(Objects::nonNull).toList();
        if (arns.isEmpty()) {
            return listing;
        }
        Map<String, Map<String, String>> copyTags = new ConcurrentHashMap<>();
        Map<String, Runnable> reads = new LinkedHashMap<>();
        readByArn(reads, "reading the serverless copies' tags", arns, copyTags::put);
        try {
            runAll(pool, reads);
        } catch (ReadFailed f) {
            LOG.warn("could not read when the serverless copies' data was taken; their retention counts from "
                    + "when they were copied this time", entry("during", f.during),
                    entry("errorCode", Retrier.errorCode(f.getCause())),
                    entry("errorMessage", String.valueOf(f.getCause().getMessage())));
            return listing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return listing;
        }
        // Data cannot be taken after it was copied: a tag saying so is wrong, and the copy keeps its own time.
        return new Listing(listing.snapshots().stream().map(s -> {
            Instant t = s.arn() == null ? null : parse(copyTags.getOrDefault(s.arn(), Map.of()).get(DATA_TAKEN));
            return t != null && (s.taken() == null || t.isBefore(s.taken())) ? takenAt(s, t) : s;
        }).toList(), Map.copyOf(copyTags));
    }

    /** The same snapshot, its data taken at {@code when}. */
    private static CacheSnapshot takenAt(CacheSnapshot s, Instant when) {
        return new CacheSnapshot(s.name(), s.cacheKind(), s.arn(), s.cacheId(), s.nodeId(), s.status(), s.manual(),
                when, s.dataTiering());
    }

    /** The account's snapshots, and the tags of those already read (serverless copies), by ARN. */
    private record Listing(List<CacheSnapshot> snapshots, Map<String, Map<String, String>> copyTags) {
        boolean hasCopyOf(CacheSnapshot s, Set<String> nodeNames, Set<String> serverlessNames) {
            return (s.serverless() ? serverlessNames : nodeNames).contains(copyName(s.name()));
        }
    }

    /**
     * One cache's work: what to copy (oldest first: closest to vanishing) and the retention decision over its
     * copies as listed. Copies made by this sweep are not in the listing, so it never prunes them.
     */
    private record CachePlan(CacheKey cache, List<CacheSnapshot> automatic, List<CacheSnapshot> finals,
                             boolean heldCopies, RetentionPolicy.Decision retention, Instant oldestUncopied) {
        boolean hasSomethingToCopy() {
            return !automatic.isEmpty() || !finals.isEmpty();
        }

        /** A snapshot to copy, whose ARN names the account its cache lives in. */
        CacheSnapshot anySource() {
            return !automatic.isEmpty() ? automatic.getFirst() : finals.getFirst();
        }
    }

    private List<CachePlan> plan(Listing listing, SweepReport report) {
        Set<String> nodeNames = new HashSet<>();
        Set<String> serverlessNames = new HashSet<>();
        for (CacheSnapshot s : listing.snapshots()) {
            (s.serverless() ? serverlessNames : nodeNames).add(s.name());
        }
        Map<CacheKey, List<CacheSnapshot>> byCache = listing.snapshots().stream()
                .collect(Collectors.groupingBy(CacheKey::of, LinkedHashMap::new, Collectors.toList()));
        report.cachesSeen.set(byCache.size());
        Instant now = clock.instant();
        Comparator<CacheSnapshot> oldestFirst = Comparator.comparing(CacheSnapshot::taken,
                Comparator.nullsLast(Comparator.naturalOrder()));
        List<CachePlan> plans = new ArrayList<>();
        for (var e : byCache.entrySet()) {
            List<CacheSnapshot> snaps = e.getValue();
            // Our own snapshots are never sources, as for an event: not even one whose source ElastiCache left
            // unsaid, which counts as automatic.
            List<CacheSnapshot> theirs = notOurs(snaps);
            boolean hasAutomatic = theirs.stream().anyMatch(CacheSnapshot::automatic);
            List<CacheSnapshot> automatic = theirs.stream()
                    .filter(s -> s.automatic() && ArchiveRules.copyable(s)
                            && !listing.hasCopyOf(s, nodeNames, serverlessNames))
                    .sorted(oldestFirst).toList();
            // A manual snapshot that is not ours, of a cache with no automatic backups left: perhaps a final
            // snapshot (its cache gone). Whether the cache is gone is asked only for these.
            List<CacheSnapshot> finals = hasAutomatic ? List.of() : theirs.stream()
                    .filter(s -> s.manual() && ArchiveRules.copyable(s)
                            && !listing.hasCopyOf(s, nodeNames, serverlessNames))
                    .sorted(oldestFirst).toList();
            report.alreadyCopied.addAndGet((int) theirs.stream()
                    .filter(s -> s.automatic() && listing.hasCopyOf(s, nodeNames, serverlessNames)).count());
            List<CacheSnapshot> copies = snaps.stream().filter(ArchiveRules::namedAsCopy).toList();
            RetentionPolicy.Decision retention = policy.decide(copies.stream().filter(CacheSnapshot::available)
                    .toList(), now);
            if (!automatic.isEmpty() || !finals.isEmpty() || !retention.expired().isEmpty()) {
                Instant oldest = automatic.isEmpty() ? (finals.isEmpty() ? null : finals.getFirst().taken())
                        : automatic.getFirst().taken();
                plans.add(new CachePlan(e.getKey(), automatic, finals, !copies.isEmpty(), retention, oldest));
            }
        }
        // Copies first, oldest uncopied first: if time runs out, what is about to vanish was saved.
        plans.sort(Comparator.comparing(CachePlan::oldestUncopied, Comparator.nullsLast(Comparator.naturalOrder())));
        return plans;
    }

    // ------------------------------------------------------------------------------------------------ lookups

    /**
     * What the sweep knows of caches and copies before it acts, read in pages: which caches exist (Describe pages),
     * their tags and the tags of the copies past retention (Resource Groups Tagging API).
     */
    private record Lookups(Set<CacheKey> existing, Map<CacheKey, Map<String, String>> cacheTags,
                           Map<String, Map<String, String>> copyTags) {
    }

    /**
     * Reads only what the plans need, in parallel. Any failure leaves the sweep with nothing copied or pruned: a
     * sweep that half-knows which caches are selected or which copies are ours must not act.
     */
    private Optional<Lookups> lookUp(ExecutorService pool, List<CachePlan> plans,
                                     Map<String, Map<String, String>> knownCopyTags, SweepReport report) {
        Set<CacheKey> existing = ConcurrentHashMap.newKeySet();
        Map<CacheKey, Map<String, String>> cacheTags = new ConcurrentHashMap<>();
        Map<String, Map<String, String>> copyTags = new ConcurrentHashMap<>();
        Map<String, Runnable> reads = new LinkedHashMap<>();
        // Only the kinds of cache with something to copy are asked about; pruning needs no cache at all.
        List<CachePlan> copying = plans.stream().filter(CachePlan::hasSomethingToCopy).toList();
        Set<CacheKind> kinds = copying.stream().map(p -> p.cache().kind()).collect(Collectors.toSet());
        if (kinds.contains(CacheKind.REPLICATION_GROUP)) {
            reads.put("listing replication groups", () -> store.eachReplicationGroup(
                    id -> existing.add(new CacheKey(CacheKind.REPLICATION_GROUP, id))));
        }
        if (kinds.contains(CacheKind.SERVERLESS_CACHE)) {
            reads.put("listing serverless caches", () -> store.eachServerlessCache(
                    id -> existing.add(new CacheKey(CacheKind.SERVERLESS_CACHE, id))));
        }
        Set<CacheKind> byType = kinds.stream().filter(TagIndex.CACHE_TYPES::containsKey).collect(Collectors.toSet());
        if (!byType.isEmpty()) {
            // In tag mode only caches carrying the selection key matter; the selection compares the value itself.
            String key = settings.selection().all() ? null : settings.selection().tagKey();
            reads.put("reading the caches' tags (tag:GetResources)",
                    () -> cacheTags.putAll(tagIndex.cacheTags(byType, key)));
        }
        if (kinds.contains(CacheKind.CACHE_CLUSTER)) {
            reads.put("listing cache clusters", () -> store.eachStandaloneCluster(
                    id -> existing.add(new CacheKey(CacheKind.CACHE_CLUSTER, id))));
            List<String> clusters = copying.stream().filter(p -> p.cache().kind() == CacheKind.CACHE_CLUSTER)
                    .map(p -> SnapshotStore.arnsOf(p.anySource())
                            .map(a -> a.cache(CacheKind.CACHE_CLUSTER, p.cache().id())).orElse(null))
                    .filter(Objects::nonNull).distinct().toList();
            readByArn(reads, "reading the cache clusters' tags", clusters, (arn, tags) -> TagIndex.cacheOf(arn)
                    .ifPresent(c -> cacheTags.put(c, tags)));
        }
        // Serverless copies' tags were read to date them: only the others are asked for.
        List<String> expired = plans.stream().flatMap(p -> p.retention().expired().stream())
                .map(CacheSnapshot::arn).filter(Objects::nonNull).distinct().toList();
        Map<Boolean, List<String>> known = expired.stream()
                .collect(Collectors.partitioningBy(knownCopyTags::containsKey));
        known.get(true).forEach(arn -> copyTags.put(arn, knownCopyTags.get(arn)));
        readByArn(reads, "reading the tags of expired copies", known.get(false), copyTags::put);
        try {
            runAll(pool, reads);
        } catch (ReadFailed f) {
            Throwable cause = f.getCause();
            LOG.error("could not read which caches exist and their tags; nothing copied or pruned",
                    entry("during", f.during), entry("errorCode", Retrier.errorCode(cause)),
                    entry("errorMessage", String.valueOf(cause.getMessage())));
            report.fail(new SweepReport.Failure("(account)", f.during, Retrier.errorCode(cause),
                    String.valueOf(cause.getMessage())));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(new Lookups(existing, cacheTags, copyTags));
    }

    /** A read of {@link #runAll} that failed: what it was doing, and why. */
    private static final class ReadFailed extends Exception {
        final String during;

        ReadFailed(String during, Throwable cause) {
            super(cause);
            this.during = during;
        }
    }

    /** Runs the reads (by what each is doing) on the pool and waits for all; the first failure, in order, is thrown. */
    private static void runAll(ExecutorService pool, Map<String, Runnable> reads)
            throws ReadFailed, InterruptedException {
        Map<String, Future<?>> running = new LinkedHashMap<>();
        reads.forEach((during, read) -> running.put(during, pool.submit(read)));
        for (var r : running.entrySet()) {
            try {
                r.getValue().get();
            } catch (ExecutionException e) {
                throw new ReadFailed(r.getKey(), e.getCause());
            }
        }
    }

    /** One read per {@link TagIndex#ARNS_PER_CALL} ARNs, each resource's tags handed to {@code sink}. */
    private void readByArn(Map<String, Runnable> reads, String what, List<String> arns,
                           BiConsumer<String, Map<String, String>> sink) {
        List<List<String>> batches = TagIndex.batches(arns);
        for (int i = 0; i < batches.size(); i++) {
            List<String> batch = batches.get(i);
            reads.put(what + " (tag:GetResources, call " + (i + 1) + ")", () -> tagIndex.tagsOf(batch).forEach(sink));
        }
    }

    /**
     * The cache's tags, or empty when it is gone. A cache listed by its Describe page but absent from the Tagging
     * API's answer has no tags (or none under the selection key, or none the index has caught up with yet: then it
     * counts as not selected until the next sweep).
     */
    private Optional<Map<String, String>> cacheTags(CacheKey cache, Lookups lookups, CacheSnapshot any) {
        if (lookups.existing().contains(cache)) {
            return Optional.of(lookups.cacheTags().getOrDefault(cache, Map.of()));
        }
        if (cache.kind() == CacheKind.CACHE_CLUSTER) {
            // Only clusters outside replication groups are listed; a snapshot naming a group's node cannot be
            // decided from the pages, so that one cache is asked about directly (the answer is exact and fresh).
            Optional<ElastiCacheArns> arns = SnapshotStore.arnsOf(any);
            if (arns.isEmpty()) {
                throw new IllegalStateException("snapshot " + any.name() + " has no ARN; cannot check its cache");
            }
            return store.tags(arns.get().cache(cache.kind(), cache.id()));
        }
        return Optional.empty();
    }

    private void work(CachePlan p, Lookups lookups, boolean dryRun, Deadline deadline, SweepReport report) {
        if (deadline.reached()) {
            report.cachesLeft.incrementAndGet();
            report.stoppedEarly();
            return;
        }
        report.cachesWorked.incrementAndGet();
        try {
            copyPhase(p, lookups, dryRun, deadline, report);
        } catch (RuntimeException e) {
            recordFailure(report, p.cache(), "copying", e);
        }
        try {
            if (!p.retention().expired().isEmpty()) {
                prune(p.cache(), p.retention(), lookups, dryRun, deadline, report);
            }
        } catch (RuntimeException e) {
            recordFailure(report, p.cache(), "pruning", e);
        }
    }

    private void copyPhase(CachePlan p, Lookups lookups, boolean dryRun, Deadline deadline, SweepReport report) {
        if (!p.hasSomethingToCopy()) {
            return;
        }
        CacheSnapshot any = p.anySource();
        if (p.cache().id() == null) {
            throw new IllegalStateException("snapshot " + any.name() + " names no cache; cannot check tags");
        }
        Optional<Map<String, String>> cacheTags = cacheTags(p.cache(), lookups, any);
        List<CacheSnapshot> toCopy = new ArrayList<>();
        Map<String, Map<String, String>> tagsFor = new LinkedHashMap<>();
        if (cacheTags.isPresent()) {
            if (!settings.selection().selects(cacheTags.get())) {
                report.notSelected.incrementAndGet();
                LOG.debug("cache not selected", entry("cacheId", p.cache().id()));
                return;
            }
            // Manual snapshots of a live cache are its owner's and never expire: left alone.
            p.automatic().forEach(s -> {
                toCopy.add(s);
                tagsFor.put(s.name(), cacheTags.get());
            });
        } else {
            // The cache is gone: it was selected if we archived it while it lived, or if the snapshot's own tags
            // select it. Those are read one by one, live: gone caches are few, and a final snapshot is often
            // younger than the Tagging API's index.
            boolean heldCopies = p.heldCopies();
            List<CacheSnapshot> left = new ArrayList<>(p.automatic());
            left.addAll(p.finals());
            for (CacheSnapshot s : left) {
                Map<String, String> own = s.arn() == null ? Map.of() : store.tags(s.arn()).orElse(Map.of());
                if (heldCopies || settings.selection().selects(own)) {
                    toCopy.add(s);
                    tagsFor.put(s.name(), own);
                } else {
                    report.notSelected.incrementAndGet();
                    LOG.info("snapshot of a deleted cache not archived: the cache was not selected",
                            entry("cacheId", p.cache().id()), entry("snapshot", s.name()));
                }
            }
        }
        for (CacheSnapshot s : toCopy) {
            if (deadline.reached()) {
                report.stoppedEarly();
                LOG.warn("sweep stopping before the time limit; the next run copies the rest",
                        entry("cacheId", p.cache().id()), entry("snapshot", s.name()));
                return;
            }
            copyOne(s, tagsFor.get(s.name()), dryRun, report);
        }
    }

    enum CopyOutcome {
        COPIED("copied"), WOULD_COPY("would copy"), ALREADY_COPIED("already copied");

        final String wire;

        CopyOutcome(String wire) {
            this.wire = wire;
        }
    }

    /** Copies one snapshot (and exports it when configured). Throws when AWS refuses; the caller records it. */
    private CopyOutcome copyOne(CacheSnapshot src, Map<String, String> cacheTags, boolean dryRun,
                                SweepReport report) {
        String target = copyName(src.name());
        Instant now = clock.instant();
        // Retention counts from when the data was taken, so a copy made late lives no longer than one made on time.
        Instant expires = (src.taken() != null ? src.taken() : now).plus(settings.retention());
        Map<String, String> ours = new LinkedHashMap<>(ManagedTags.of(PURPOSE, src.cacheId(), src.name(), now,
                expires, null));
        ours.put(ARCHIVED_FROM, src.automatic() ? "automatic" : "final");
        if (src.taken() != null) {
            ours.put(DATA_TAKEN, src.taken().toString());
        }
        ManagedTags.Merged tags = ManagedTags.merge(ours, cacheTags);
        if (!tags.droppedKeys().isEmpty()) {
            LOG.info("cache tags left off the copy (50-tag limit)", entry("cacheId", src.cacheId()),
                    entry("copy", target), entry("dropped", tags.droppedKeys().toString()));
        }
        if (dryRun) {
            report.plan("copy " + src.name() + " -> " + target);
            LOG.info("dry run: would copy snapshot", entry("cacheId", src.cacheId()), entry("snapshot", src.name()),
                    entry("copy", target), entry("expires", expires.toString()));
            report.copied.incrementAndGet();
            exportCopy(src, target, true, report);
            return CopyOutcome.WOULD_COPY;
        }
        boolean made = store.copy(src, target, settings.kmsKeyId().orElse(null), tags.sdkTags());
        if (!made) {
            verifyExistingCopy(src, target);
            report.alreadyCopied.incrementAndGet();
            LOG.info("snapshot already archived", entry("cacheId", src.cacheId()), entry("snapshot", src.name()),
                    entry("copy", target));
            return CopyOutcome.ALREADY_COPIED;
        }
        report.copied.incrementAndGet();
        report.plan("copy " + src.name() + " -> " + target);
        LOG.info("snapshot archived", entry("cacheId", src.cacheId()), entry("snapshot", src.name()),
                entry("copy", target), entry("expires", expires.toString()), entry("from",
                        src.automatic() ? "automatic" : "final"));
        exportCopy(src, target, false, report);
        return CopyOutcome.COPIED;
    }

    /** A snapshot with our copy's name exists: fine if it is our copy of this source, a conflict otherwise. */
    private void verifyExistingCopy(CacheSnapshot src, String target) {
        Optional<CacheSnapshot> existing = store.named(target, src.serverless());
        Map<String, String> tags = existing.flatMap(e -> e.arn() == null ? Optional.empty() : store.tags(e.arn()))
                .orElse(Map.of());
        if (!ManagedTags.isManaged(tags) || !src.name().equals(tags.get(ManagedTags.SOURCE_SNAPSHOT))) {
            throw new IllegalStateException("a snapshot named " + target + " exists but is not cachekeeper's copy of "
                    + src.name() + " (tags " + ManagedTags.MANAGED + "=" + tags.get(ManagedTags.MANAGED) + ", "
                    + ManagedTags.SOURCE_SNAPSHOT + "=" + tags.get(ManagedTags.SOURCE_SNAPSHOT)
                    + "); left as it is");
        }
    }

    private volatile ExportBucketCheck.Result exportCheck;

    private void exportCopy(CacheSnapshot src, String target, boolean dryRun, SweepReport report) {
        if (settings.exportBucket().isEmpty()) {
            return;
        }
        String bucket = settings.exportBucket().get();
        if (src.dataTiering()) {
            report.exportSkipped.incrementAndGet();
            LOG.info("export skipped: snapshots of data-tiering clusters cannot be exported to S3",
                    entry("cacheId", src.cacheId()), entry("snapshot", src.name()), entry("bucket", bucket));
            return;
        }
        ExportBucketCheck.Result check = exportCheck(bucket, dryRun);
        if (!check.ok()) {
            report.exportSkipped.incrementAndGet();
            report.exportProblem(check.problem());
            LOG.error("export skipped: the bucket is not ready", entry("cacheId", src.cacheId()),
                    entry("snapshot", src.name()), entry("bucket", bucket), entry("problem", check.problem()));
            return;
        }
        if (dryRun) {
            report.plan("export " + src.name() + " -> s3://" + bucket + "/" + target);
            report.exported.incrementAndGet();
            return;
        }
        try {
            store.export(src, target, bucket);
            report.exported.incrementAndGet();
            LOG.info("snapshot exported", entry("cacheId", src.cacheId()), entry("snapshot", src.name()),
                    entry("bucket", bucket), entry("name", target));
        } catch (AwsServiceException e) {
            report.exportSkipped.incrementAndGet();
            recordFailure(report, CacheKey.of(src), "exporting " + src.name() + " to s3://" + bucket, e);
        }
    }

    /** The bucket is checked once per function instance, and again after a failed check. */
    private ExportBucketCheck.Result exportCheck(String bucket, boolean dryRun) {
        ExportBucketCheck.Result r = exportCheck;
        if (r != null && r.ok()) {
            return r;
        }
        synchronized (this) {
            if (exportCheck == null || !exportCheck.ok()) {
                exportCheck = bucketCheck.check(bucket, settings.region(), settings.manageBucketAcl() && !dryRun);
                exportCheck.notes().forEach(n -> LOG.info("export bucket", entry("bucket", bucket), entry("note", n)));
            }
            return exportCheck;
        }
    }

    // ------------------------------------------------------------------------------------------------ prune

    /**
     * Deletes the expired copies the tags show are ours, beyond the minimum. The tags come from the Tagging API's
     * index, which may be minutes behind: a copy whose managed tag was removed since is still refused at delete time
     * by the IAM condition on the live tag ({@code aws:ResourceTag/cachekeeper:managed}), and recorded as a failure.
     */
    private void prune(CacheKey cache, RetentionPolicy.Decision d, Lookups lookups, boolean dryRun,
                       Deadline deadline, SweepReport report) {
        Instant now = clock.instant();
        // The newest copies are kept up to the minimum; younger ones count by name, older ones only once their
        // tags show they really are ours.
        int stillNeeded = Math.max(0, settings.minCopies() - d.kept().size());
        for (CacheSnapshot c : d.expired()) {
            if (deadline.reached()) {
                report.stoppedEarly();
                return;
            }
            if (c.arn() == null) {
                continue;
            }
            // Absent from the answer: no tags at all (or none the index has caught up with yet). Either way not
            // shown to be ours, so left alone.
            Map<String, String> tags = lookups.copyTags().getOrDefault(c.arn(), Map.of());
            if (!DeletionGuard.mayDelete(c.name(), tags)) {
                report.refusedUnmanaged.incrementAndGet();
                LOG.warn("left alone: named like an archive copy but not tagged " + ManagedTags.MANAGED + "="
                        + ManagedTags.MANAGED_VALUE, entry("cacheId", String.valueOf(cache.id())),
                        entry("snapshot", c.name()), entry("tags", tags.isEmpty() ? "none" : "others"));
                continue;
            }
            if (stillNeeded > 0) {
                stillNeeded--;
                report.keptByMinimum.incrementAndGet();
                LOG.info("copy past retention kept: among the newest " + settings.minCopies() + " of its cache",
                        entry("cacheId", String.valueOf(cache.id())), entry("snapshot", c.name()));
                continue;
            }
            Instant tagged = parse(tags.get(ManagedTags.EXPIRES));
            if (tagged != null && tagged.isAfter(now)) {
                report.keptByExpiresTag.incrementAndGet();
                LOG.info("copy kept: its " + ManagedTags.EXPIRES + " tag is later than the policy",
                        entry("cacheId", String.valueOf(cache.id())), entry("snapshot", c.name()),
                        entry("expires", tagged.toString()));
                continue;
            }
            DeletionGuard.requireDeletable(c.name(), tags);
            report.plan("delete " + c.name());
            if (dryRun) {
                LOG.info("dry run: would delete expired copy", entry("cacheId", String.valueOf(cache.id())),
                        entry("snapshot", c.name()), entry("taken", String.valueOf(c.taken())));
            } else {
                store.delete(c);
                LOG.info("expired copy deleted", entry("cacheId", String.valueOf(cache.id())),
                        entry("snapshot", c.name()), entry("taken", String.valueOf(c.taken())));
            }
            report.pruned.incrementAndGet();
        }
    }

    private static Instant parse(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ records

    private void recordFailure(SweepReport report, CacheKey cache, String during, Throwable e) {
        report.fail(new SweepReport.Failure(cache.toString(), during, Retrier.errorCode(e),
                String.valueOf(e.getMessage())));
        LOG.error("cache failed; the others go on", entry("cacheId", String.valueOf(cache.id())),
                entry("during", during), entry("errorCode", Retrier.errorCode(e)),
                entry("errorMessage", String.valueOf(e.getMessage())));
    }

    /** One summary record, metrics, and at most one alert per sweep. */
    private void finish(SweepReport report) {
        LOG.info("archive sweep finished", entry("summary", report.toMap()));
        if (report.dryRun()) {
            report.plan().forEach(line -> LOG.info("dry run plan", entry("step", line)));
        }
        metric("ArchiveCopies", report.copied());
        metric("ArchivePruned", report.pruned());
        metric("ArchiveExports", report.exported());
        metric("ArchiveFailedCaches", report.failures().size());
        metric("ArchiveCachesLeft", report.cachesLeft());
        if ((report.failures().isEmpty() && report.exportProblem() == null) || report.dryRun()) {
            return;
        }
        StringBuilder body = new StringBuilder("The snapshot archive sweep could not finish everything.\n");
        if (report.exportProblem() != null) {
            body.append("\nS3 export skipped: ").append(report.exportProblem()).append('\n');
        }
        if (!report.failures().isEmpty()) {
            body.append('\n').append(report.failures().size()).append(" cache(s) failed; the others were done:\n");
            report.failures().stream().limit(100).forEach(f -> body.append("- ").append(f.cache()).append(": ")
                    .append(f.during()).append(": ").append(f.errorCode()).append(" - ").append(f.message())
                    .append('\n'));
        }
        body.append("\nThe next sweep tries again. Copies made: ").append(report.copied()).append(", pruned: ")
                .append(report.pruned()).append('.');
        alert(Severity.WARNING, "archive sweep: " + report.failures().size() + " cache(s) failed"
                + (report.exportProblem() != null ? ", export bucket not ready" : ""), body.toString(), null);
    }

    private void alert(Severity severity, String subject, String body, String cacheId) {
        try {
            alerts.publish(new Alert(severity, subject, body, cacheId, "ArchiveFailure"));
        } catch (RuntimeException e) {
            LOG.error("alert could not be published", entry("errorCode", Retrier.errorCode(e)),
                    entry("subject", subject));
        }
    }

    private void metric(String name, double value) {
        metrics.addMetric(name, value, MetricUnit.COUNT);
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // work() records its own failures; anything reaching here is a bug worth seeing in the log.
            LOG.error("sweep worker failed", entry("errorMessage", String.valueOf(e.getCause())));
        }
    }

    /** Lambda's remaining time, with the margin the sweep keeps in hand to finish cleanly. */
    private record Deadline(LongSupplier remainingMillis, Duration margin) {
        boolean reached() {
            return remainingMillis.getAsLong() < margin.toMillis();
        }
    }
}

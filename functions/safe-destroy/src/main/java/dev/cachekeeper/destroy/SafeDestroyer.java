package dev.cachekeeper.destroy;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.alert.Alert;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.alert.Severity;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheEvents;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Truncate;
import dev.cachekeeper.core.snapshot.CacheSnapshot;
import dev.cachekeeper.core.snapshot.CacheSnapshots;
import dev.cachekeeper.core.snapshot.ManagedTags;
import dev.cachekeeper.core.snapshot.SnapshotNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.InvalidCacheClusterStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidServerlessCacheStateException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotQuotaExceededException;
import software.amazon.awssdk.services.elasticache.model.SnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.SnapshotFeatureNotSupportedException;
import software.amazon.awssdk.services.elasticache.model.SnapshotQuotaExceededException;
import software.amazon.awssdk.services.elasticache.model.Tag;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The work behind each Task of the safe-destroy state machine: take (or find) a tagged pre-destroy snapshot, check
 * it until it is {@code available}, only then delete the cache if asked, and announce the outcome.
 *
 * <p>Expected failures (the cache is not available, the snapshot failed or took too long, a bad request) are not
 * thrown: they come back as a flow with {@code ok=false} and an error name, so the state machine announces them
 * once and ends Failed instead of retrying what cannot succeed. Only transient AWS trouble is thrown, for the
 * state machine's Retry.
 */
public final class SafeDestroyer {
    private static final Logger LOG = LoggerFactory.getLogger(SafeDestroyer.class);

    public static final String PURPOSE = "pre-destroy";
    public static final String FINAL_PURPOSE = "final";
    /** The requester's own words; ManagedTags' reason is the purpose, {@value #PURPOSE}. */
    static final String REQUEST_REASON_TAG = "cachekeeper:request-reason";

    public static final String WAIT_LIMIT = "CACHEKEEPER_DESTROY_SNAPSHOT_WAIT_LIMIT";
    public static final String REUSE_WINDOW = "CACHEKEEPER_DESTROY_REUSE_WINDOW";
    static final Duration DEFAULT_WAIT_LIMIT = Duration.ofHours(2);
    static final Duration DEFAULT_REUSE_WINDOW = Duration.ofHours(1);
    /** EventBridge re-deliveries come within hours; a week is ample and keeps the table small. */
    static final Duration ANNOUNCE_CLAIM_TTL = Duration.ofDays(7);
    /** Polls back off from 30 s to 5 min: a small cache is done in a minute or two, a big one takes much longer. */
    static final int FIRST_WAIT_SECONDS = 30;
    static final int MAX_WAIT_SECONDS = 300;

    // Error names: the execution's error when it fails, and what the README documents.
    public static final String INVALID_REQUEST = "InvalidRequest";
    public static final String CACHE_NOT_FOUND = "CacheNotFound";
    public static final String CACHE_NOT_AVAILABLE = "CacheNotAvailable";
    public static final String SNAPSHOT_NOT_SUPPORTED = "SnapshotNotSupported";
    public static final String SNAPSHOT_NAME_TAKEN = "SnapshotNameTaken";
    public static final String SNAPSHOT_QUOTA_EXCEEDED = "SnapshotQuotaExceeded";
    public static final String SNAPSHOT_REJECTED = "SnapshotRejected";
    public static final String SNAPSHOT_FAILED = "SnapshotFailed";
    public static final String SNAPSHOT_VANISHED = "SnapshotVanished";
    public static final String SNAPSHOT_TIMED_OUT = "SnapshotTimedOut";
    public static final String DELETE_REJECTED = "DeleteRejected";

    private static final DateTimeFormatter BUCKET = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm")
            .withZone(ZoneOffset.UTC);

    private final ElastiCacheClient elastiCache;
    private final EventLedger ledger;
    private final CacheFacts.Reader caches;
    private final CacheSnapshots snapshots;
    private final AlertPublisher alerts;
    private final Metrics metrics;
    private final Clock clock;
    private final Retrier retrier;
    private final boolean dryRun;
    private final Duration waitLimit;
    private final Duration reuseWindow;

    public SafeDestroyer(ElastiCacheClient elastiCache, AlertPublisher alerts, EventLedger ledger, Metrics metrics,
                         Clock clock, Retrier retrier, Settings settings) {
        this.elastiCache = elastiCache;
        this.ledger = ledger;
        this.caches = new CacheFacts.Reader(elastiCache, retrier);
        this.snapshots = new CacheSnapshots(elastiCache, retrier);
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
        this.retrier = retrier;
        this.dryRun = settings.dryRun();
        this.waitLimit = settings.duration(WAIT_LIMIT, DEFAULT_WAIT_LIMIT);
        this.reuseWindow = settings.duration(REUSE_WINDOW, DEFAULT_REUSE_WINDOW);
        if (waitLimit.isZero() || reuseWindow.isZero()) {
            throw new IllegalStateException(WAIT_LIMIT + " and " + REUSE_WINDOW + " must be longer than zero");
        }
    }

    // ---- TakeSnapshot ----

    /** Validates the request event, then takes the pre-destroy snapshot or finds the one a repeat already took. */
    public DestroyFlow snapshot(JsonNode event) {
        DestroyRequest request;
        try {
            request = DestroyRequest.fromEvent(event);
        } catch (MalformedEventException e) {
            LOG.warn("refusing a malformed destroy request: {}", e.getMessage(), entry("reason", e.getMessage()),
                    entry("rawEvent", Truncate.of(String.valueOf(event), 2000)));
            return DestroyFlow.start(null, dryRun).fail(INVALID_REQUEST, e.getMessage());
        }
        DestroyFlow flow = DestroyFlow.start(request, dryRun);
        String id = request.cacheId();
        boolean serverless = request.cacheKind() == CacheKind.SERVERLESS_CACHE;
        Optional<CacheFacts> cache = caches.describe(request.cacheKind(), id);
        String of = cache.map(CacheFacts::snapshotOf).orElse(request.cacheKind().wireName() + " " + id);

        // A repeat first: while the first request's snapshot runs, the cache shows "snapshotting", and that must
        // not turn a harmless repeat into a CacheNotAvailable failure.
        for (String name : candidateNames(request)) {
            Optional<CacheSnapshot> existing = snapshots.find(serverless, name);
            if (existing.isPresent()) {
                Optional<DestroyFlow> reused = reuse(flow, existing.get(), of);
                if (reused.isPresent()) {
                    return reused.get();
                }
            }
        }
        if (cache.isEmpty()) {
            return refuse(flow, CACHE_NOT_FOUND, "there is no " + request.cacheKind().wireName() + " named '" + id
                    + "' in this account and region");
        }
        CacheFacts facts = cache.get();
        if (facts.memberOf() != null) {
            return refuse(flow, INVALID_REQUEST, "cache cluster '" + id + "' is a node of replication group '"
                    + facts.memberOf() + "': send cacheKind \"replication-group\" and cacheId \"" + facts.memberOf()
                    + "\" to snapshot and delete the whole group");
        }
        if (facts.memcached()) {
            return refuse(flow, SNAPSHOT_NOT_SUPPORTED, request.cacheKind().wireName() + " '" + id
                    + "' runs Memcached, which has no snapshots: nothing can be kept, so it was not deleted");
        }
        if (!facts.available()) {
            return refuse(flow, CACHE_NOT_AVAILABLE, notAvailable(request, facts.status()));
        }
        String name = candidateNames(request).get(0);
        if (dryRun) {
            LOG.info("dry run: would snapshot {} as {}{}", of, name, request.deleteAfterSnapshot()
                            ? ", wait until it is available, then delete the cache" : "",
                    entry("cacheId", id), entry("snapshotName", name), entry("dryRun", true));
            return flow.snapshot(name, of, "planned", false, null, 0);
        }
        return create(flow, facts, name, serverless);
    }

    private DestroyFlow create(DestroyFlow flow, CacheFacts cache, String name, boolean serverless) {
        DestroyRequest request = flow.request();
        Map<String, String> ours = new LinkedHashMap<>(ManagedTags.of(PURPOSE, request.cacheId(), null,
                clock.instant(), null, tagValue(request.requester())));
        ours.put(REQUEST_REASON_TAG, tagValue(request.reason()));
        List<Tag> tags = ManagedTags.merge(ours, caches.tags(cache)).sdkTags();
        try {
            if (serverless) {
                retrier.call(() -> elastiCache.createServerlessCacheSnapshot(b -> b
                        .serverlessCacheName(cache.id()).serverlessCacheSnapshotName(name).tags(tags)));
            } else if (cache.snapshotNode() != null) {
                retrier.call(() -> elastiCache.createSnapshot(b -> b
                        .cacheClusterId(cache.snapshotNode()).snapshotName(name).tags(tags)));
            } else if (cache.kind() == CacheKind.REPLICATION_GROUP) {
                retrier.call(() -> elastiCache.createSnapshot(b -> b
                        .replicationGroupId(cache.id()).snapshotName(name).tags(tags)));
            } else {
                retrier.call(() -> elastiCache.createSnapshot(b -> b
                        .cacheClusterId(cache.id()).snapshotName(name).tags(tags)));
            }
        } catch (SnapshotAlreadyExistsException | ServerlessCacheSnapshotAlreadyExistsException e) {
            // A concurrent request (or our own retried call) got there first.
            return snapshots.find(serverless, name).flatMap(s -> reuse(flow, s, cache.snapshotOf()))
                    .orElseGet(() -> refuse(flow, SNAPSHOT_NAME_TAKEN, "a snapshot named '" + name
                            + "' exists but is not cachekeeper's pre-destroy snapshot of " + cache.id()));
        } catch (SnapshotQuotaExceededException | ServerlessCacheSnapshotQuotaExceededException e) {
            return refuse(flow, SNAPSHOT_QUOTA_EXCEEDED, "ElastiCache refused another snapshot of '" + cache.id()
                    + "' (about 20 manual snapshots per node, 24 per serverless cache, per 24 hours): "
                    + e.awsErrorDetails().errorMessage() + ". The cache was not deleted.");
        } catch (InvalidReplicationGroupStateException | InvalidCacheClusterStateException
                 | InvalidServerlessCacheStateException e) {
            return refuse(flow, CACHE_NOT_AVAILABLE, notAvailable(request, "in a state that refuses snapshots ("
                    + e.awsErrorDetails().errorMessage() + ")"));
        } catch (SnapshotFeatureNotSupportedException e) {
            return refuse(flow, SNAPSHOT_NOT_SUPPORTED, "ElastiCache cannot snapshot '" + cache.id() + "': "
                    + e.awsErrorDetails().errorMessage() + ". The cache was not deleted.");
        } catch (ElastiCacheException e) {
            if (Retrier.isRetryable(e)) {
                throw e;
            }
            return refuse(flow, SNAPSHOT_REJECTED, "CreateSnapshot of '" + cache.id() + "' was refused: "
                    + Retrier.errorCode(e) + ": " + e.awsErrorDetails().errorMessage());
        }
        LOG.info("pre-destroy snapshot {} of {} started", name, cache.snapshotOf(), entry("cacheId", cache.id()),
                entry("snapshotName", name), entry("requester", request.requester()));
        metrics.addMetric("PreDestroySnapshotsStarted", 1, MetricUnit.COUNT);
        int wait = (int) Math.min(FIRST_WAIT_SECONDS, waitLimit.toSeconds());
        return flow.snapshot(name, cache.snapshotOf(), "creating", false, clock.instant().plus(waitLimit), wait);
    }

    /** Reuses a snapshot a repeat of this request took, if it is ours, of this cache, recent and not failed. */
    private Optional<DestroyFlow> reuse(DestroyFlow flow, CacheSnapshot existing, String of) {
        DestroyRequest request = flow.request();
        Map<String, String> tags = snapshots.tags(existing);
        boolean ours = ManagedTags.isManaged(tags) && PURPOSE.equals(tags.get(ManagedTags.REASON))
                && request.cacheId().equalsIgnoreCase(tags.get(ManagedTags.SOURCE_CACHE));
        if (!ours) {
            return Optional.of(refuse(flow, SNAPSHOT_NAME_TAKEN, "a snapshot named '" + existing.name()
                    + "' exists but is not cachekeeper's pre-destroy snapshot of " + request.cacheId()));
        }
        Instant created = parseInstant(tags.get(ManagedTags.CREATED)).orElse(existing.taken());
        if (created != null && Duration.between(created, request.requestedAt()).compareTo(reuseWindow) > 0) {
            return Optional.empty(); // from the previous window and too old: take a fresh one
        }
        if (existing.failed()) {
            return Optional.of(refuse(flow, SNAPSHOT_FAILED, "the pre-destroy snapshot '" + existing.name()
                    + "' taken for an earlier identical request failed. Delete it (aws elasticache delete-"
                    + (existing.serverless() ? "serverless-cache-" : "") + "snapshot) or send the request again"
                    + " after " + reuseWindow + " to take a new one. The cache was not deleted."));
        }
        LOG.info("reusing pre-destroy snapshot {} ({}) taken for an earlier request for the same cache and reason",
                existing.name(), existing.status(), entry("cacheId", request.cacheId()),
                entry("snapshotName", existing.name()), entry("reused", true));
        metrics.addMetric("PreDestroySnapshotsReused", 1, MetricUnit.COUNT);
        int wait = existing.available() ? 0 : (int) Math.min(FIRST_WAIT_SECONDS, waitLimit.toSeconds());
        Instant deadline = flow.dryRun() ? null : clock.instant().plus(waitLimit);
        return Optional.of(flow.snapshot(existing.name(), of, existing.status(), true, deadline, wait));
    }

    /**
     * The name for this request, then the one an identical request in the previous time bucket would have used:
     * the names are bucketed by the reuse window, and a repeat may fall just across a bucket boundary.
     */
    List<String> candidateNames(DestroyRequest request) {
        long window = reuseWindow.toSeconds();
        long bucket = Math.floorDiv(request.requestedAt().getEpochSecond(), window) * window;
        String reasonKey = CacheEvents.dedupKey(request.reason().strip().toLowerCase(Locale.ROOT)).substring(0, 8);
        return List.of(bucket, bucket - window).stream()
                .map(b -> SnapshotNames.derive(PURPOSE, request.cacheId(), reasonKey,
                        BUCKET.format(Instant.ofEpochSecond(b))))
                .toList();
    }

    // ---- CheckSnapshot ----

    /** One status check; sets the next wait (growing) or ends the wait: available, failed or out of time. */
    public DestroyFlow check(DestroyFlow flow) {
        if (!flow.ok() || flow.dryRun() || flow.snapshotName() == null) {
            return flow;
        }
        String id = flow.request().cacheId();
        boolean serverless = flow.request().cacheKind() == CacheKind.SERVERLESS_CACHE;
        Optional<CacheSnapshot> snapshot = snapshots.find(serverless, flow.snapshotName());
        if (snapshot.isEmpty()) {
            return refuse(flow, SNAPSHOT_VANISHED, "the pre-destroy snapshot '" + flow.snapshotName()
                    + "' no longer exists (deleted by someone?). The cache was not deleted.");
        }
        CacheSnapshot s = snapshot.get();
        if (s.available()) {
            LOG.info("pre-destroy snapshot {} is available", s.name(), entry("cacheId", id),
                    entry("snapshotName", s.name()), entry("polls", flow.polls() + 1));
            return flow.polled(s.status(), 0);
        }
        if (s.failed()) {
            return refuse(flow.polled(s.status(), 0), SNAPSHOT_FAILED, "the pre-destroy snapshot '" + s.name()
                    + "' of " + flow.snapshotOf() + " failed. The cache was not deleted; see the cache's events "
                    + "(aws elasticache describe-events) for why.");
        }
        Instant now = clock.instant();
        if (flow.deadline() == null || !now.isBefore(flow.deadline())) {
            return refuse(flow.polled(s.status(), 0), SNAPSHOT_TIMED_OUT, "the pre-destroy snapshot '" + s.name()
                    + "' was still " + s.status() + " after " + waitLimit + " (" + WAIT_LIMIT
                    + "). The cache was not deleted; the snapshot may still complete: send the request again to"
                    + " reuse it.");
        }
        long remaining = Duration.between(now, flow.deadline()).toSeconds();
        int next = nextWait(flow.waitSeconds(), remaining);
        LOG.info("pre-destroy snapshot {} is {}; next check in {} s", s.name(), s.status(), next,
                entry("cacheId", id), entry("snapshotName", s.name()), entry("waitSeconds", next));
        return flow.polled(s.status(), next);
    }

    static int nextWait(int previous, long remainingSeconds) {
        int grown = previous <= 0 ? FIRST_WAIT_SECONDS : Math.min(MAX_WAIT_SECONDS, (previous * 3 + 1) / 2);
        return (int) Math.max(1, Math.min(grown, remainingSeconds));
    }

    // ---- DeleteCache ----

    /** Deletes the cache, only when asked and only once the pre-destroy snapshot is confirmed available. */
    public DestroyFlow delete(DestroyFlow flow) {
        if (!flow.ok() || flow.request() == null || !flow.request().deleteAfterSnapshot()) {
            return flow;
        }
        DestroyRequest request = flow.request();
        String id = request.cacheId();
        boolean serverless = request.cacheKind() == CacheKind.SERVERLESS_CACHE;
        // Re-read rather than trust the flow: this is the one irreversible step.
        boolean confirmed = flow.snapshotName() != null
                && snapshots.find(serverless, flow.snapshotName()).map(CacheSnapshot::available).orElse(false);
        if (!confirmed) {
            return refuse(flow, SNAPSHOT_VANISHED, "the pre-destroy snapshot '" + flow.snapshotName()
                    + "' is not available now; refusing to delete " + flow.cacheLabel());
        }
        Optional<CacheFacts> cache = caches.describe(request.cacheKind(), id);
        if (cache.isEmpty()) {
            return flow.deleted(true, null, "the cache was already gone; the snapshot remains");
        }
        if (cache.get().deleting()) {
            return flow.deleted(true, null, "the cache was already being deleted; the snapshot remains");
        }
        if (!cache.get().available()) {
            return refuse(flow, CACHE_NOT_AVAILABLE, notAvailable(request, cache.get().status())
                    + " The snapshot '" + flow.snapshotName() + "' remains.");
        }
        String finalName = request.finalSnapshot()
                ? SnapshotNames.derive(FINAL_PURPOSE, id, BUCKET.format(request.requestedAt())) : null;
        if (flow.dryRun()) {
            LOG.info("dry run: would delete {}{}", flow.cacheLabel(), finalName == null ? ""
                    : " with final snapshot " + finalName, entry("cacheId", id), entry("dryRun", true));
            return flow.deleted(false, finalName, "dry run: nothing was deleted");
        }
        try {
            switch (request.cacheKind()) {
                case REPLICATION_GROUP -> retrier.call(() -> elastiCache.deleteReplicationGroup(b -> b
                        .replicationGroupId(id).retainPrimaryCluster(false).finalSnapshotIdentifier(finalName)));
                case CACHE_CLUSTER -> retrier.call(() -> elastiCache.deleteCacheCluster(b -> b
                        .cacheClusterId(id).finalSnapshotIdentifier(finalName)));
                case SERVERLESS_CACHE -> retrier.call(() -> elastiCache.deleteServerlessCache(b -> b
                        .serverlessCacheName(id).finalSnapshotName(finalName)));
            }
        } catch (ReplicationGroupNotFoundException | CacheClusterNotFoundException
                 | ServerlessCacheNotFoundException e) {
            return flow.deleted(true, null, "the cache was already gone; the snapshot remains");
        } catch (InvalidReplicationGroupStateException | InvalidCacheClusterStateException
                 | InvalidServerlessCacheStateException e) {
            return refuse(flow, CACHE_NOT_AVAILABLE, notAvailable(request, "in a state that refuses deletion ("
                    + e.awsErrorDetails().errorMessage() + ")") + " The snapshot '" + flow.snapshotName()
                    + "' remains.");
        } catch (ElastiCacheException e) {
            if (Retrier.isRetryable(e)) {
                throw e;
            }
            return refuse(flow, DELETE_REJECTED, "the delete of " + flow.cacheLabel() + " was refused: "
                    + Retrier.errorCode(e) + ": " + e.awsErrorDetails().errorMessage() + ". The snapshot '"
                    + flow.snapshotName() + "' remains.");
        }
        LOG.info("deleting {} after its pre-destroy snapshot {}{}", flow.cacheLabel(), flow.snapshotName(),
                finalName == null ? "" : ", final snapshot " + finalName, entry("cacheId", id),
                entry("snapshotName", flow.snapshotName()), entry("finalSnapshotName", finalName == null ? "" : finalName),
                entry("requester", request.requester()));
        metrics.addMetric("SafeDestroyDeletes", 1, MetricUnit.COUNT);
        return flow.deleted(true, finalName, null);
    }

    // ---- Announce ----

    /**
     * Publishes the outcome on the alert topic. {@code state} is the whole execution state: {@code flow} when a
     * task produced one, {@code failure} ({@code Error}, {@code Cause}) when a Catch caught an unexpected error, and
     * the original event otherwise.
     */
    public DestroyFlow announce(JsonNode state) {
        DestroyFlow flow = state.hasNonNull("flow") ? Json.MAPPER.convertValue(state.get("flow"), DestroyFlow.class)
                : DestroyFlow.start(requestOrNull(state), dryRun);
        JsonNode failure = state.get("failure");
        if (failure != null && failure.isObject() && flow.ok()) {
            flow = flow.fail(shortError(failure.path("Error").asText("Unknown")), causeText(failure));
        }
        Alert alert = alertFor(flow);
        // EventBridge may deliver one request twice, which starts a second execution: it reuses the snapshot and
        // must not announce again. A deliberate re-send has a new event id and is announced.
        String requestId = flow.request() == null ? null : flow.request().requestId();
        String claim = dryRun || requestId == null ? null : "safe-destroy-announce#" + requestId;
        if (claim != null && !ledger.claim(claim, ANNOUNCE_CLAIM_TTL)) {
            LOG.info("the outcome of request {} was announced already (a repeated delivery); no second alert",
                    requestId, entry("cacheId", flow.request().cacheId()), entry("requestId", requestId));
            return flow;
        }
        LOG.info("safe destroy of {} ended: {}", flow.cacheLabel(), alert.subject(),
                entry("cacheId", flow.request() == null ? "" : flow.request().cacheId()), entry("ok", flow.ok()),
                entry("errorName", flow.error() == null ? "" : flow.error()),
                entry("deleted", Boolean.TRUE.equals(flow.deleted())));
        try {
            alerts.publish(alert);
        } catch (RuntimeException e) {
            if (claim != null) {
                ledger.release(claim); // the state machine retries the announce step
            }
            throw e;
        }
        metrics.addMetric(flow.ok() ? "SafeDestroySucceeded" : "SafeDestroyFailed", 1, MetricUnit.COUNT);
        return flow;
    }

    static Alert alertFor(DestroyFlow f) {
        String cacheId = f.request() == null ? null : f.request().cacheId();
        StringBuilder body = new StringBuilder();
        if (f.request() != null) {
            DestroyRequest r = f.request();
            body.append("Cache: ").append(r.cacheKind().wireName()).append(' ').append(r.cacheId()).append('\n')
                    .append("Requested by: ").append(r.requester()).append('\n')
                    .append("Reason: ").append(r.reason()).append('\n')
                    .append("Requested at: ").append(r.requestedAt()).append('\n')
                    .append("Delete after snapshot: ").append(r.deleteAfterSnapshot())
                    .append(r.finalSnapshot() ? " (with a final snapshot)" : "").append('\n');
        }
        if (f.snapshotName() != null) {
            body.append("Pre-destroy snapshot: ").append(f.snapshotName()).append(" of ").append(f.snapshotOf())
                    .append(" (").append(f.snapshotStatus()).append(f.reused() ? ", reused from an earlier request" : "")
                    .append(")\n");
        }
        if (f.finalSnapshotName() != null) {
            body.append("Final snapshot: ").append(f.finalSnapshotName()).append('\n');
        }
        body.append("Deleted: ").append(Boolean.TRUE.equals(f.deleted()) ? "yes" : "no").append('\n');
        if (f.note() != null) {
            body.append("Note: ").append(f.note()).append('\n');
        }
        String who = cacheId == null ? "request" : cacheId;
        if (!f.ok()) {
            body.append("\nFailed: ").append(f.error()).append("\n").append(f.cause()).append('\n');
            return new Alert(Severity.WARNING, who + ": safe destroy failed (" + f.error() + ")", body.toString(),
                    cacheId, DetailTypes.CACHE_DESTROY_REQUESTED);
        }
        String subject = f.dryRun() ? who + ": dry run of safe destroy, nothing changed"
                : Boolean.TRUE.equals(f.deleted()) ? who + ": deleted after snapshot " + f.snapshotName()
                : who + ": pre-destroy snapshot " + f.snapshotName() + " available";
        return new Alert(Severity.INFO, subject, body.toString(), cacheId, DetailTypes.CACHE_DESTROY_REQUESTED);
    }

    private DestroyRequest requestOrNull(JsonNode state) {
        try {
            return DestroyRequest.fromEvent(state);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // "dev.cachekeeper.destroy.AwsUnavailableException" -> "AwsUnavailableException"; "States.Timeout" stays
    static String shortError(String error) {
        return error.matches("([a-z0-9_]+\\.)+[A-Z]\\w*") ? error.substring(error.lastIndexOf('.') + 1) : error;
    }

    // A Lambda error's Cause is the runtime's JSON ({"errorMessage": ...}); other causes are plain text.
    static String causeText(JsonNode failure) {
        String cause = failure.path("Cause").asText("");
        try {
            JsonNode parsed = Json.MAPPER.readTree(cause);
            if (parsed != null && parsed.hasNonNull("errorMessage")) {
                return parsed.get("errorMessage").asText();
            }
        } catch (Exception notJson) {
            // plain text
        }
        return cause;
    }

    private DestroyFlow refuse(DestroyFlow flow, String error, String cause) {
        LOG.warn("safe destroy of {} stops: {}: {}", flow.cacheLabel(), error, cause,
                entry("cacheId", flow.request() == null ? "" : flow.request().cacheId()), entry("errorName", error));
        return flow.fail(error, cause);
    }

    private static String notAvailable(DestroyRequest request, String status) {
        return request.cacheKind().wireName() + " '" + request.cacheId() + "' is " + status
                + ", not available: nothing was snapshotted or deleted. Wait until it is available (aws elasticache"
                + " describe-" + switch (request.cacheKind()) {
                    case REPLICATION_GROUP -> "replication-groups";
                    case CACHE_CLUSTER -> "cache-clusters";
                    case SERVERLESS_CACHE -> "serverless-caches";
                } + ") and send the request again.";
    }

    private static Optional<Instant> parseInstant(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(Instant.parse(s));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** ElastiCache tag values allow letters, digits, spaces and {@code _ . : / = + - @}; anything else becomes _. */
    static String tagValue(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.isLetterOrDigit(c) || c == ' '
                || "_.:/=+-@".indexOf(c) >= 0 ? c : '_'));
        return out.toString();
    }
}

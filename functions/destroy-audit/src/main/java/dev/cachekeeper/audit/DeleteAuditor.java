package dev.cachekeeper.audit;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.alert.Alert;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.alert.Severity;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Truncate;
import dev.cachekeeper.core.snapshot.CacheSnapshot;
import dev.cachekeeper.core.snapshot.CacheSnapshots;
import dev.cachekeeper.core.snapshot.ManagedTags;
import dev.cachekeeper.core.snapshot.SnapshotNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Audits every cache delete ({@code Cache Delete Called} from CloudTrail, {@code Cache Deleted} from the cache's
 * own events): is something recoverable left? A final snapshot was asked for, or a manual snapshot younger than
 * {@value #MAX_SNAPSHOT_AGE} exists, or a cachekeeper copy does. If none, a CRITICAL alert naming the cache, who
 * deleted it and the newest snapshot that does exist; otherwise an INFO record and alert.
 *
 * <p>One delete usually produces both events, minutes apart and in either order. Each is claimed once in the
 * ledger by its own dedup key (redeliveries), and a per-cache mark records the last audit, so the second event of
 * the same delete (a {@code Called} followed within {@link #PAIRING_WINDOW} by a {@code Deleted}, or the reverse
 * arrival order) is recorded but not alerted twice. Two delete calls are always two deletes.
 */
public final class DeleteAuditor {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteAuditor.class);

    public static final String MAX_SNAPSHOT_AGE = "CACHEKEEPER_AUDIT_MAX_SNAPSHOT_AGE";
    static final Duration DEFAULT_MAX_SNAPSHOT_AGE = Duration.ofHours(24);
    /** A delete call and the matching deleted event: deleting a large group takes a while, CloudTrail lags. */
    static final Duration PAIRING_WINDOW = Duration.ofHours(6);
    /** Event times from different sources disagree a little. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final Duration CLAIM_TTL = Duration.ofDays(7);

    private final ElastiCacheClient elastiCache;
    private final CacheSnapshots snapshots;
    private final EventLedger ledger;
    private final AlertPublisher alerts;
    private final Metrics metrics;
    private final Retrier retrier;
    private final Duration maxSnapshotAge;
    private final boolean dryRun;

    public DeleteAuditor(ElastiCacheClient elastiCache, EventLedger ledger, AlertPublisher alerts, Metrics metrics,
                         Retrier retrier, Settings settings) {
        this.elastiCache = elastiCache;
        this.snapshots = new CacheSnapshots(elastiCache, retrier);
        this.ledger = ledger;
        this.alerts = alerts;
        this.metrics = metrics;
        this.retrier = retrier;
        this.maxSnapshotAge = settings.duration(MAX_SNAPSHOT_AGE, DEFAULT_MAX_SNAPSHOT_AGE);
        this.dryRun = settings.dryRun();
    }

    public AuditResult audit(BusEvent bus) {
        CacheEvent event;
        try {
            if (!DetailTypes.CACHE_DELETED.equals(bus.detailType())
                    && !DetailTypes.CACHE_DELETE_CALLED.equals(bus.detailType())) {
                throw new MalformedEventException("detail-type: expected '" + DetailTypes.CACHE_DELETE_CALLED
                        + "' or '" + DetailTypes.CACHE_DELETED + "', got '" + Truncate.of(bus.detailType(), 64) + "'");
            }
            event = bus.cacheEvent();
        } catch (MalformedEventException e) {
            LOG.warn("ignoring an event the delete audit cannot read: {}", e.getMessage(),
                    entry("reason", e.getMessage()), entry("rawEvent", Truncate.of(String.valueOf(bus), 2000)));
            return new AuditResult(AuditVerdict.IGNORED, null, null, null, null, false, e.getMessage());
        }
        boolean called = DetailTypes.CACHE_DELETE_CALLED.equals(bus.detailType());
        String claimKey = "delete-audit#" + event.dedupKey();
        if (!dryRun && !ledger.claim(claimKey, CLAIM_TTL)) {
            LOG.info("delete of {} already audited for this event", event.cacheId(), entry("cacheId", event.cacheId()),
                    entry("verdict", AuditVerdict.DUPLICATE.name()));
            return result(AuditVerdict.DUPLICATE, event, null, false, "this event was audited before");
        }
        try {
            Optional<String> pairedWith = pairedAudit(event, called);
            if (pairedWith.isPresent()) {
                LOG.info("{} of {} is the same delete as the {} audited before; no second alert",
                        bus.detailType(), event.cacheId(), pairedWith.get(), entry("cacheId", event.cacheId()),
                        entry("verdict", AuditVerdict.ALREADY_AUDITED.name()),
                        entry("actor", event.actor() == null ? "" : event.actor()));
                return result(AuditVerdict.ALREADY_AUDITED, event, null, false,
                        "the " + pairedWith.get() + " event of this delete was audited");
            }
            Optional<String> cleanup = restoreCleanupOf(event);
            if (cleanup.isPresent()) {
                LOG.info("{} of {} is the restore flow removing the half-built group of its failed execution {}; "
                        + "the restore flow announced it, no alert here", bus.detailType(), event.cacheId(),
                        cleanup.get(), entry("cacheId", event.cacheId()),
                        entry("verdict", AuditVerdict.RESTORE_CLEANUP.name()));
                return result(AuditVerdict.RESTORE_CLEANUP, event, cleanup.get(), false,
                        "deleted by the restore flow's cleanup of execution " + cleanup.get());
            }
            Optional<String> group = auditedGroupOf(event);
            if (group.isPresent()) {
                LOG.info("{} of node {} is part of the delete of replication group {}, audited before; no second alert",
                        bus.detailType(), event.cacheId(), group.get(), entry("cacheId", event.cacheId()),
                        entry("replicationGroupId", group.get()),
                        entry("verdict", AuditVerdict.ALREADY_AUDITED.name()));
                return result(AuditVerdict.ALREADY_AUDITED, event, group.get(), false,
                        "a member node of replication group " + group.get() + ", whose delete was audited");
            }
            AuditResult result = evaluate(event, called);
            Alert alert = alert(result, event, bus.detailType());
            // Verdicts are logged by name, which reads the same: an enum value would make Powertools set up its own
            // JSON mapper (with JMESPath and Joda-Time, 171 classes) on the function's first record.
            Object[] audited = {event.kind().wireName(), event.cacheId(), result.verdict(),
                    entry("cacheId", event.cacheId()), entry("verdict", result.verdict().name()),
                    entry("actor", event.actor() == null ? "" : event.actor()),
                    entry("evidence", result.evidence() == null ? "" : result.evidence()), entry("dryRun", dryRun)};
            // A delete that left nothing to restore is what an operator filters the logs for, not routine.
            if (result.verdict().recoverable()) {
                LOG.info("delete of {} {} audited: {}", audited);
            } else {
                LOG.warn("delete of {} {} audited: {}", audited);
            }
            metrics.addMetric(result.verdict().recoverable() ? "DeletesRecoverable" : "DeletesUnrecoverable", 1,
                    MetricUnit.COUNT);
            if (dryRun) {
                LOG.info("dry run: would publish {} alert: {}", alert.severity(), alert.subject(),
                        entry("cacheId", event.cacheId()), entry("dryRun", true));
                return result;
            }
            alerts.publish(alert);
            ledger.writeMark(markName(event), Json.MAPPER.createObjectNode()
                    .put("detailType", bus.detailType()).put("time", event.time().toString())
                    .put("verdict", result.verdict().name()).toString());
            return new AuditResult(result.verdict(), result.cacheKind(), result.cacheId(), result.actor(),
                    result.evidence(), true, result.reason());
        } catch (RuntimeException e) {
            if (!dryRun) {
                ledger.release(claimKey); // so the redelivery audits it
            }
            throw e;
        }
    }

    /** The first rule that finds something recoverable wins; the last resort is the critical verdict. */
    AuditResult evaluate(CacheEvent event, boolean called) {
        if (Boolean.TRUE.equals(event.finalSnapshotRequested())) {
            return result(AuditVerdict.FINAL_SNAPSHOT_REQUESTED, event, event.snapshotName(), false,
                    "the delete asked for final snapshot " + event.snapshotName());
        }
        if ("true".equalsIgnoreCase(event.attributes().get("retainPrimaryCluster"))) {
            return result(AuditVerdict.PRIMARY_RETAINED, event, null, false,
                    "the primary node was kept as a standalone cache cluster");
        }
        if (called && event.kind() == CacheKind.CACHE_CLUSTER) {
            Optional<String> group = groupOf(event.cacheId());
            if (group.isPresent()) {
                return result(AuditVerdict.NODE_OF_GROUP, event, group.get(), false,
                        "the node belongs to replication group " + group.get() + ", which keeps the data");
            }
        }
        List<CacheSnapshot> ofCache = snapshots.of(event.kind(), event.cacheId());
        Instant deletedAt = event.time();
        Optional<CacheSnapshot> recent = ofCache.stream()
                .filter(s -> s.manual() && s.available() && s.taken() != null
                        && !s.taken().isBefore(deletedAt.minus(maxSnapshotAge)))
                .findFirst();
        if (recent.isPresent()) {
            return result(AuditVerdict.RECENT_MANUAL_SNAPSHOT, event, recent.get().describe(), false,
                    "a manual snapshot younger than " + maxSnapshotAge + " exists");
        }
        Optional<CacheSnapshot> archived = archivedCopy(event);
        if (archived.isPresent()) {
            return result(AuditVerdict.ARCHIVED_COPY, event, archived.get().describe(), false,
                    "a cachekeeper copy of this cache exists");
        }
        String newest = ofCache.isEmpty() ? "none" : ofCache.get(0).describe()
                + (ofCache.get(0).manual() ? "" : " - automatic backups are deleted with their cache");
        return result(AuditVerdict.NOTHING_RECOVERABLE, event, newest, false,
                "no final snapshot was asked for, no manual snapshot younger than " + maxSnapshotAge
                        + " and no cachekeeper copy exists");
    }

    /**
     * A copy cachekeeper made (archiver copies, pre-destroy snapshots): our prefix, our managed tag, and this cache
     * as its source. Only manual snapshots with our prefix are looked at, so the tag reads stay few.
     */
    private Optional<CacheSnapshot> archivedCopy(CacheEvent event) {
        return snapshots.all(event.kind() == CacheKind.SERVERLESS_CACHE).stream()
                .filter(s -> s.manual() && s.available() && SnapshotNames.hasPrefix(s.name()) && s.arn() != null)
                .sorted(CacheSnapshots.NEWEST_FIRST)
                .filter(s -> {
                    var tags = snapshots.tags(s);
                    return ManagedTags.isManaged(tags)
                            && event.cacheId().equalsIgnoreCase(tags.get(ManagedTags.SOURCE_CACHE));
                })
                .findFirst();
    }

    private Optional<String> groupOf(String cacheClusterId) {
        try {
            return retrier.call(() -> elastiCache.describeCacheClusters(b -> b.cacheClusterId(cacheClusterId)))
                    .cacheClusters().stream().findFirst().map(c -> c.replicationGroupId());
        } catch (CacheClusterNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The other event of the same delete, if it was audited: a Called, then within the window a Deleted. */
    private Optional<String> pairedAudit(CacheEvent event, boolean called) {
        Optional<String> mark = ledger.readMark(markName(event));
        if (mark.isEmpty()) {
            return Optional.empty();
        }
        JsonNode previous;
        Instant previousTime;
        try {
            previous = Json.MAPPER.readTree(mark.get());
            previousTime = Instant.parse(previous.path("time").asText());
        } catch (Exception e) {
            return Optional.empty(); // an unreadable mark never suppresses an audit
        }
        String previousType = previous.path("detailType").asText();
        if (called == DetailTypes.CACHE_DELETE_CALLED.equals(previousType)) {
            return Optional.empty(); // two calls (or two deleted events with different keys) are two deletes
        }
        Instant callTime = called ? event.time() : previousTime;
        Instant deletedTime = called ? previousTime : event.time();
        Duration gap = Duration.between(callTime, deletedTime);
        boolean same = gap.compareTo(CLOCK_SKEW.negated()) >= 0 && gap.compareTo(PAIRING_WINDOW) <= 0;
        return same ? Optional.of(previousType) : Optional.empty();
    }

    /** The execution whose cleanup deleted this group (or the group this node belonged to), if it was one. */
    private Optional<String> restoreCleanupOf(CacheEvent event) {
        String group = switch (event.kind()) {
            case REPLICATION_GROUP -> event.cacheId();
            case CACHE_CLUSTER -> event.attributes().get("replicationGroupIdFromName");
            default -> null;
        };
        return group == null || group.isBlank() ? Optional.empty()
                : ledger.readMark(EventLedger.restoreCleanupMark(group));
    }

    /**
     * Deleting a replication group also reports each member node as deleted (node-based clusters notify per node).
     * When the group's own delete was audited shortly before, the node's report is the same delete and must not
     * raise an alert of its own. The group is named by ingest from the node id (the group can no longer be
     * described); a node reported before its group is still audited on its own: a duplicate, never a miss.
     */
    private Optional<String> auditedGroupOf(CacheEvent event) {
        String group = event.attributes().get("replicationGroupIdFromName");
        if (event.kind() != CacheKind.CACHE_CLUSTER || group == null || group.isBlank()) {
            return Optional.empty();
        }
        Optional<String> mark = ledger.readMark(markName(CacheKind.REPLICATION_GROUP, group));
        if (mark.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant groupAudited = Instant.parse(Json.MAPPER.readTree(mark.get()).path("time").asText());
            Duration gap = Duration.between(groupAudited, event.time());
            boolean sameDelete = gap.compareTo(CLOCK_SKEW.negated()) >= 0 && gap.compareTo(PAIRING_WINDOW) <= 0;
            return sameDelete ? Optional.of(group) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty(); // an unreadable mark never suppresses an audit
        }
    }

    private static String markName(CacheEvent event) {
        return markName(event.kind(), event.cacheId());
    }

    private static String markName(CacheKind kind, String cacheId) {
        return "delete-audit#" + kind.wireName() + "#" + cacheId.toLowerCase(java.util.Locale.ROOT);
    }

    Alert alert(AuditResult r, CacheEvent event, String detailType) {
        String actor = event.actor() != null ? event.actor()
                : "unknown (no CloudTrail record of the call reached cachekeeper)";
        StringBuilder body = new StringBuilder()
                .append("Cache: ").append(event.kind().wireName()).append(' ').append(event.cacheId()).append('\n')
                .append("Deleted by: ").append(actor).append('\n')
                .append("When: ").append(event.time()).append('\n')
                .append("Seen as: ").append(detailType)
                .append(event.sourceEvent() == null ? "" : " (" + event.sourceEvent() + ")").append('\n');
        if (r.verdict() == AuditVerdict.NOTHING_RECOVERABLE) {
            body.append("Newest snapshot that exists: ").append(r.evidence()).append("\n\n")
                    .append("Nothing recoverable is left: ").append(r.reason()).append(".\n")
                    .append("If the delete is still running it cannot be cancelled. Next time send a 'Cache Destroy ")
                    .append("Requested' event (see the README), or delete with a final snapshot.\n");
            return new Alert(Severity.CRITICAL, event.cacheId() + " deleted with no recoverable snapshot",
                    body.toString(), event.cacheId(), detailType);
        }
        body.append("Recoverable: ").append(r.reason()).append(r.evidence() == null ? "" : " - " + r.evidence())
                .append('\n');
        return new Alert(Severity.INFO, event.cacheId() + " deleted; recoverable ("
                + r.verdict().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")",
                body.toString(), event.cacheId(), detailType);
    }

    private static AuditResult result(AuditVerdict verdict, CacheEvent event, String evidence, boolean alerted,
                                      String reason) {
        return new AuditResult(verdict, event.kind().wireName(), event.cacheId(), event.actor(), evidence, alerted,
                reason);
    }
}

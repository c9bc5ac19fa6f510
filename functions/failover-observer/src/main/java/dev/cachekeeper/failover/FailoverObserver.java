package dev.cachekeeper.failover;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entries;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.cachekeeper.core.alert.Alert;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Truncate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Turns {@code Failover Started} / {@code Failover Completed} into one log record, EMF metrics and one SNS alert per
 * failover, with a check of the topology the failover left behind.
 */
public final class FailoverObserver {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverObserver.class);

    /** How long a completion stays claimed: far longer than any redelivery (EventBridge retries for 24 h). */
    static final Duration CLAIM_TTL = Duration.ofDays(7);
    static final int MAX_LOGGED_INPUT = 2_000;

    public enum Outcome {
        /** Completion recorded and alerted. */
        REPORTED,
        /** The same completion was reported before: nothing sent. */
        ALREADY_REPORTED,
        /** A start remembered for the completion's duration. */
        START_RECORDED,
        /** A start that arrived after its completion was reported. */
        START_LATE,
        /** Not an event for this function (a routing mistake): acknowledged. */
        IGNORED,
        /** Unreadable input: logged with the reason, acknowledged. */
        MALFORMED
    }

    public record Result(Outcome outcome, String cacheId, String detail, FailoverReport report) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("outcome", outcome.name());
            if (cacheId != null) {
                m.put("cacheId", cacheId);
            }
            if (detail != null) {
                m.put("detail", detail);
            }
            if (report != null) {
                m.put("failover", report.toMap());
            }
            return m;
        }
    }

    /** The alert could not be sent: the claim is released and the invocation fails, so the event is redelivered. */
    public static final class AlertNotSentException extends RuntimeException {
        AlertNotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final EventLedger ledger;
    private final TopologyCheck topology;
    private final FailoverStarts starts;
    private final AlertPublisher alerts;
    private final Metrics metrics;

    public FailoverObserver(EventLedger ledger, TopologyCheck topology, FailoverStarts starts, AlertPublisher alerts,
                            Metrics metrics) {
        this.ledger = ledger;
        this.topology = topology;
        this.starts = starts;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** SnapStart priming, after the sample event: what only a real answer would lead to ({@link TopologyCheck}). */
    public void warmUpBeyondEmptyAnswers() {
        topology.warmUp();
    }

    public Result handle(BusEvent event) {
        CacheEvent e;
        try {
            e = event.cacheEvent();
        } catch (MalformedEventException bad) {
            return malformed(bad, String.valueOf(event.detail()));
        }
        return switch (event.detailType()) {
            case DetailTypes.FAILOVER_STARTED -> started(e);
            case DetailTypes.FAILOVER_COMPLETED -> completed(e);
            default -> {
                LOG.warn("event ignored: not a failover", entry("cacheId", e.cacheId()),
                        entry("detailType", event.detailType()));
                yield new Result(Outcome.IGNORED, e.cacheId(), "detail-type " + event.detailType(), null);
            }
        };
    }

    /** Input that cannot be read: the reason and the (truncated) input are logged, nothing else happens. */
    public Result malformed(MalformedEventException bad, String rawInput) {
        LOG.warn("malformed event acknowledged without action", entry("reason", bad.getMessage()),
                entry("input", Truncate.of(rawInput, MAX_LOGGED_INPUT)));
        return new Result(Outcome.MALFORMED, null, bad.getMessage(), null);
    }

    private Result started(CacheEvent e) {
        boolean kept = starts.remember(e);
        if (!kept) {
            LOG.info("failover start arrived after its completion was reported", entry("cacheId", e.cacheId()),
                    entry("shardId", e.shardId()), entry("startedAt", e.time().toString()));
            return new Result(Outcome.START_LATE, e.cacheId(), "completion already reported", null);
        }
        LOG.info("failover started", entry("cacheId", e.cacheId()), entry("shardId", e.shardId()),
                entry("startedAt", e.time().toString()), entry("eventMessage", e.message()),
                entry("dedupKey", e.dedupKey()));
        return new Result(Outcome.START_RECORDED, e.cacheId(), "started " + e.time(), null);
    }

    private Result completed(CacheEvent e) {
        String claimKey = "failover-completed#" + e.dedupKey();
        boolean claimed;
        String dedupNote = null;
        try {
            if (!ledger.claim(claimKey, CLAIM_TTL)) {
                LOG.info("failover already reported", entry("cacheId", e.cacheId()), entry("shardId", e.shardId()),
                        entry("dedupKey", e.dedupKey()));
                return new Result(Outcome.ALREADY_REPORTED, e.cacheId(), "already reported", null);
            }
            claimed = true;
        } catch (RuntimeException ledgerDown) {
            // A possible duplicate alert is better than a failover nobody hears about.
            claimed = false;
            dedupNote = "duplicate check unavailable: " + Retrier.errorCode(ledgerDown);
            LOG.warn("could not claim the failover; reporting it anyway", entry("cacheId", e.cacheId()),
                    entry("errorCode", Retrier.errorCode(ledgerDown)));
        }

        FailoverReport report = report(e, dedupNote);
        Alert alert = FailoverAlert.of(report, starts.lookback().toMinutes());
        String messageId;
        try {
            messageId = alerts.publish(alert);
        } catch (RuntimeException sendFailed) {
            LOG.error("failover observed but the alert could not be sent; the event will be retried",
                    entries(withAlert(report, alert, null, Retrier.errorCode(sendFailed))));
            if (claimed) {
                try {
                    ledger.release(claimKey);
                } catch (RuntimeException releaseFailed) {
                    LOG.error("could not release the claim: a redelivery will be taken as already reported",
                            entry("cacheId", e.cacheId()), entry("dedupKey", e.dedupKey()),
                            entry("errorCode", Retrier.errorCode(releaseFailed)));
                }
            }
            throw new AlertNotSentException("alert for the failover of " + e.cacheId() + " not sent: "
                    + Retrier.errorCode(sendFailed), sendFailed);
        }

        metrics.addDimension(DimensionSet.of("ReplicationGroup", e.cacheId()));
        metrics.addMetric("Failovers", 1, MetricUnit.COUNT);
        if (report.durationSeconds() != null) {
            metrics.addMetric("FailoverDurationSeconds", report.durationSeconds(), MetricUnit.SECONDS);
        }
        LOG.info("failover completed", entries(withAlert(report, alert, messageId, null)));
        return new Result(Outcome.REPORTED, e.cacheId(), alert.subject(), report);
    }

    private FailoverReport report(CacheEvent e, String dedupNote) {
        TopologyCheck.Described d = e.kind() == CacheKind.REPLICATION_GROUP
                ? topology.describe(e.cacheId())
                : TopologyCheck.Described.unknown("a " + e.kind().wireName() + " has no replication group to check");
        Topology t = d.topology();

        // The event names the shard and nodes when its source did; the topology fills in what it left out.
        Optional<Topology.Shard> shard = t == null ? Optional.empty()
                : e.shardId() != null ? t.shard(e.shardId())
                : Stream.of(e.newPrimary(), e.nodeId(), e.previousPrimary())
                        .map(t::shardOf).flatMap(Optional::stream).findFirst();
        String shardId = e.shardId() != null ? e.shardId() : shard.map(Topology.Shard::id).orElse(null);
        String newPrimary = e.newPrimary() != null ? e.newPrimary()
                : shard.flatMap(Topology.Shard::reportedPrimary).map(Topology.Node::id).orElse(null);

        Set<String> nodes = new LinkedHashSet<>(shard.map(Topology.Shard::nodeIds).orElse(Set.of()));
        Stream.of(e.previousPrimary(), newPrimary, e.nodeId()).filter(n -> n != null).forEach(nodes::add);
        FailoverStarts.Lookup start = starts.find(e, shardId, newPrimary, nodes);

        List<String> warnings = t != null ? TopologyCheck.findings(t, shardId, newPrimary)
                : List.of("topology unknown: " + d.unknownReason());
        Duration duration = start.start().map(s -> Duration.between(s.at(), e.time())).orElse(null);
        return new FailoverReport(e.cacheId(), shardId, e.previousPrimary(), az(t, e.previousPrimary()),
                newPrimary, az(t, newPrimary), e.time(),
                start.start().map(FailoverStarts.KnownStart::at).orElse(null),
                start.start().map(FailoverStarts.KnownStart::source).orElse(null),
                start.start().map(FailoverStarts.KnownStart::message).orElse(null),
                duration, start.note(),
                t == null ? null : t.clusterMode(), t == null ? null : t.status(),
                t != null ? "checked" : "unknown: " + d.unknownReason(), warnings,
                e.origin().wireName(), e.sourceEvent(), e.message(), e.dedupKey(), dedupNote);
    }

    private static String az(Topology t, String nodeId) {
        return t == null ? null : t.node(nodeId).map(Topology.Node::az).orElse(null);
    }

    private static Map<String, Object> withAlert(FailoverReport r, Alert a, String messageId, String alertError) {
        Map<String, Object> m = r.toMap();
        m.put("alertSeverity", a.severity().name());
        m.put("alertSubject", a.subject());
        if (messageId != null) {
            m.put("alertMessageId", messageId);
        }
        if (alertError != null) {
            m.put("alertError", alertError);
        }
        return m;
    }
}

package dev.cachekeeper.ingest;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.EventBusPublisher;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Truncate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The one path every input takes: interpret, then de-duplicate against the ledger, then publish. Whatever the
 * input, a bad one ends here as one log record and a metric, never as an exception that would make SNS or
 * EventBridge redeliver it forever.
 */
public final class IngestService {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    /** Raw input kept in a log record, at most. */
    static final int RAW_LOG_CHARS = 2000;

    public static final String METRIC_PUBLISHED = "EventsPublished";
    public static final String METRIC_DUPLICATE = "DuplicatesSuppressed";
    public static final String METRIC_RECOGNISED = "EventsRecognisedNotPublished";
    public static final String METRIC_UNKNOWN = "EventsUnknown";
    public static final String METRIC_MALFORMED = "InputsMalformed";
    public static final String METRIC_PUBLISH_FAILED = "PublishFailures";

    private final EventLedger ledger;
    private final EventBusPublisher publisher;
    private final IngestConfig config;
    private final Metrics metrics;

    public IngestService(EventLedger ledger, EventBusPublisher publisher, IngestConfig config, Metrics metrics) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Runs a parser on one input and logs what is not to be published.
     *
     * @param channel what delivered it (sns, eventbridge, cloudtrail, describe-events), for the log
     * @param raw     the input as received, for the log (truncated)
     * @return the events to publish, possibly none
     */
    public List<Normalized> interpret(String channel, String raw, Supplier<Interpretation> parse, Tally tally) {
        Interpretation result;
        try {
            result = parse.get();
        } catch (MalformedEventException e) {
            malformed(channel, e.getMessage(), raw, tally);
            return List.of();
        } catch (RuntimeException e) {
            // A parser bug must not turn into endless redelivery either; logged at error so it gets fixed.
            LOG.error("input could not be read", entry("channel", channel),
                    entry("reason", e.getClass().getSimpleName() + ": " + e.getMessage()),
                    entry("raw", Truncate.of(raw, RAW_LOG_CHARS)));
            tally.malformed++;
            count(METRIC_MALFORMED);
            return List.of();
        }
        return switch (result) {
            case Interpretation.Publish p -> p.events();
            case Interpretation.Recognised r -> {
                LOG.info("recognised, not published", entry("channel", channel), entry("sourceEvent", r.sourceEvent()),
                        entry("cacheId", r.cacheId()), entry("reason", r.why()));
                tally.recognised++;
                count(METRIC_RECOGNISED);
                yield List.of();
            }
            case Interpretation.Unknown u -> {
                LOG.warn("unknown event, not published", entry("channel", channel), entry("reason", u.reason()),
                        entry("raw", Truncate.of(raw, RAW_LOG_CHARS)));
                tally.unknown++;
                count(METRIC_UNKNOWN);
                yield List.of();
            }
        };
    }

    public void malformed(String channel, String reason, String raw, Tally tally) {
        LOG.warn("malformed input, not published", entry("channel", channel), entry("reason", reason),
                entry("raw", Truncate.of(raw, RAW_LOG_CHARS)));
        tally.malformed++;
        count(METRIC_MALFORMED);
    }

    /**
     * Claims each event's keys, publishes the ones claimed for the first time, and releases the claims of those
     * the bus refused, so a redelivery or the next sweep publishes them.
     *
     * @throws IngestFailedException when the ledger cannot be reached: without it we cannot tell a duplicate, and a
     *                               failover alert sent five times at 3 a.m. is worse than one sent a minute late
     */
    public void publish(List<Normalized> events, Tally tally) {
        Map<String, List<Normalized>> byType = new LinkedHashMap<>();
        Map<String, List<String>> claimed = new HashMap<>();
        for (Normalized n : events) {
            List<String> keys = DedupKeys.claims(n.detailType(), n.event());
            List<String> taken = new ArrayList<>();
            boolean duplicate = false;
            try {
                for (String key : keys) {
                    if (ledger.claim(key, config.dedupTtl())) {
                        taken.add(key);
                    } else {
                        duplicate = true;
                        break;
                    }
                }
                if (duplicate) {
                    taken.forEach(ledger::release);
                }
            } catch (SdkException e) {
                claimed.values().forEach(ks -> ks.forEach(this::releaseQuietly));
                taken.forEach(this::releaseQuietly);
                throw new IngestFailedException("the de-duplication table could not be reached: " + e.getMessage(), e);
            }
            if (duplicate) {
                LOG.info("duplicate, not published", entry("detailType", n.detailType()),
                        entry("cacheId", n.event().cacheId()), entry("origin", n.event().origin().wireName()),
                        entry("dedupKey", n.event().dedupKey()));
                tally.duplicates++;
                count(METRIC_DUPLICATE);
                continue;
            }
            claimed.put(n.event().dedupKey(), taken);
            byType.computeIfAbsent(n.detailType(), k -> new ArrayList<>()).add(n);
        }
        for (var e : byType.entrySet()) {
            List<CacheEvent> batch = e.getValue().stream().map(Normalized::event).toList();
            EventBusPublisher.Outcome outcome;
            try {
                outcome = publisher.publish(e.getKey(), batch);
            } catch (SdkException ex) {
                outcome = new EventBusPublisher.Outcome(0, batch.stream().map(c -> new EventBusPublisher.Failed(
                        e.getKey(), c.dedupKey(), ex.getClass().getSimpleName() + ": " + ex.getMessage(), null)).toList());
            }
            Map<String, String> failedKeys = new HashMap<>();
            for (EventBusPublisher.Failed f : outcome.failed()) {
                failedKeys.put(f.dedupKey(), f.error());
            }
            for (CacheEvent c : batch) {
                String error = failedKeys.get(c.dedupKey());
                if (error == null) {
                    LOG.info("published", entry("detailType", e.getKey()), entry("cacheId", c.cacheId()),
                            entry("kind", c.kind().wireName()), entry("origin", c.origin().wireName()),
                            entry("dedupKey", c.dedupKey()));
                    tally.published++;
                    count(METRIC_PUBLISHED);
                } else {
                    LOG.error("could not publish; claim released so a retry publishes it",
                            entry("detailType", e.getKey()), entry("cacheId", c.cacheId()),
                            entry("dedupKey", c.dedupKey()), entry("errorMessage", error));
                    claimed.getOrDefault(c.dedupKey(), List.of()).forEach(this::releaseQuietly);
                    tally.failed++;
                    count(METRIC_PUBLISH_FAILED);
                }
            }
        }
    }

    private void releaseQuietly(String key) {
        try {
            ledger.release(key);
        } catch (SdkException e) {
            // The claim then expires by TTL; the event stays suppressed until then, which the log makes visible.
            LOG.error("could not release a claim", entry("key", key), entry("errorMessage", e.getMessage()));
        }
    }

    private void count(String name) {
        metrics.addMetric(name, 1, MetricUnit.COUNT);
    }
}

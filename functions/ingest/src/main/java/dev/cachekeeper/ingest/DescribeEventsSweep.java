package dev.cachekeeper.ingest;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Origin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsResponse;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The backstop: reads DescribeEvents since a high-water mark and feeds every event through the same interpretation
 * and de-duplication as SNS, so caches whose notification topic is not set, and notifications that were lost, still
 * become events.
 *
 * <p>The range [mark - overlap, now] is read in windows, oldest first, every page of each. The mark moves to a
 * window's end only once everything in the window is published; the sweep stops before the Lambda deadline and
 * the next run resumes at the mark. Re-reading the overlap and window edges is harmless: de-duplication drops what
 * was published already.
 */
public final class DescribeEventsSweep {
    private static final Logger LOG = LoggerFactory.getLogger(DescribeEventsSweep.class);
    public static final String MARK = "describe-events";
    /** DescribeEvents' largest page. */
    public static final int PAGE_SIZE = 100;
    /** Left for the last page's publishing and the mark's write when the sweep decides to stop. */
    static final Duration SAFETY = Duration.ofSeconds(20);
    /** Kept off the 14-day edge so the clock difference to AWS never asks for more than it keeps. */
    static final Duration EDGE = Duration.ofMinutes(5);

    public static final String METRIC_EVENTS_READ = "SweepEventsRead";
    public static final String METRIC_GAP = "SweepPossibleGap";
    public static final String METRIC_FAILED = "SweepFailures";

    private final ElastiCacheClient elastiCache;
    private final EventLedger ledger;
    private final IngestService service;
    private final NoticeInterpreter interpreter;
    private final IngestConfig config;
    private final Clock clock;
    private final Retrier retrier;
    private final Metrics metrics;

    public DescribeEventsSweep(ElastiCacheClient elastiCache, EventLedger ledger, IngestService service,
                               NoticeInterpreter interpreter, IngestConfig config, Clock clock, Retrier retrier,
                               Metrics metrics) {
        this.elastiCache = elastiCache;
        this.ledger = ledger;
        this.service = service;
        this.interpreter = interpreter;
        this.config = config;
        this.clock = clock;
        this.retrier = retrier;
        this.metrics = metrics;
    }

    /** @param remaining the invocation's remaining time (Lambda context) */
    public Tally run(Supplier<Duration> remaining) {
        Tally tally = new Tally();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant oldest = now.minus(IngestConfig.RETENTION).plus(EDGE);
        Optional<Instant> mark;
        try {
            mark = readMark();
        } catch (SdkException e) {
            return failed("the mark could not be read", e, tally);
        }
        Instant start = mark.map(m -> m.minus(config.overlap())).orElse(now.minus(config.firstLookback()));
        if (start.isAfter(now)) {
            start = now.minus(config.overlap()); // a mark from the future (clock trouble): read the overlap
        }
        if (start.isBefore(oldest)) {
            if (mark.isPresent() && mark.get().isBefore(oldest)) {
                LOG.warn("the sweep's mark is older than the 14 days DescribeEvents keeps: events in between may have"
                                + " been missed", entry("mark", mark.get().toString()), entry("readingFrom", oldest.toString()));
                metrics.addMetric(METRIC_GAP, 1, MetricUnit.COUNT);
            }
            start = oldest;
        }
        LOG.info("sweep starting", entry("from", start.toString()), entry("to", now.toString()),
                entry("mark", mark.map(Instant::toString).orElse("none")));
        Instant windowStart = start;
        tally.mark = mark.map(Instant::toString).orElse(null);
        while (windowStart.isBefore(now)) {
            Instant windowEnd = windowStart.plus(config.window());
            if (windowEnd.isAfter(now)) {
                windowEnd = now;
            }
            if (!sweepWindow(windowStart, windowEnd, remaining, tally)) {
                tally.incomplete = true;
                return tally;
            }
            try {
                ledger.writeMark(MARK, windowEnd.toString());
            } catch (SdkException e) {
                return failed("the mark could not be written", e, tally);
            }
            tally.mark = windowEnd.toString();
            windowStart = windowEnd;
        }
        LOG.info("sweep done", entry("mark", tally.mark), entry("pages", tally.pages),
                entry("published", tally.published), entry("duplicates", tally.duplicates));
        return tally;
    }

    private boolean sweepWindow(Instant from, Instant to, Supplier<Duration> remaining, Tally tally) {
        String marker = null;
        do {
            if (remaining.get().compareTo(SAFETY) < 0) {
                LOG.info("stopping before the time limit; the next run resumes from the mark",
                        entry("mark", tally.mark), entry("windowStart", from.toString()));
                return false;
            }
            String page = marker;
            DescribeEventsResponse response;
            try {
                response = retrier.call(() -> elastiCache.describeEvents(b -> b.startTime(from).endTime(to)
                        .maxRecords(PAGE_SIZE).marker(page)));
            } catch (SdkException e) {
                failed("DescribeEvents failed", e, tally);
                return false;
            }
            tally.pages++;
            metrics.addMetric(METRIC_EVENTS_READ, response.events().size(), MetricUnit.COUNT);
            List<Normalized> events = new ArrayList<>();
            for (Event e : response.events()) {
                String raw = describe(e);
                events.addAll(service.interpret(Origin.DESCRIBE_EVENTS.wireName(), raw, () -> interpreter.interpret(
                        notice(e)), tally));
            }
            int failedBefore = tally.failed;
            try {
                service.publish(events, tally);
            } catch (IngestFailedException e) {
                failed("publishing failed", e, tally);
                return false;
            }
            if (tally.failed > failedBefore) {
                LOG.warn("some events could not be published: the mark stays, the next run tries again",
                        entry("mark", tally.mark));
                return false;
            }
            marker = response.marker();
        } while (marker != null && !marker.isEmpty());
        return true;
    }

    private static Notice notice(Event e) {
        if (e.date() == null) {
            throw new MalformedEventException("the event has no Date");
        }
        return new Notice(null, e.sourceTypeAsString(), e.sourceIdentifier(), null, e.message(), e.date(),
                Origin.DESCRIBE_EVENTS);
    }

    private static String describe(Event e) {
        var n = Json.MAPPER.createObjectNode();
        n.put("SourceIdentifier", e.sourceIdentifier());
        n.put("SourceType", e.sourceTypeAsString());
        n.put("Message", e.message());
        n.put("Date", e.date() == null ? null : e.date().toString());
        return n.toString();
    }

    private Optional<Instant> readMark() {
        Optional<String> v = ledger.readMark(MARK);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v.get()));
        } catch (DateTimeParseException e) {
            LOG.warn("the sweep's mark is not a time; starting as on a first run", entry("mark", v.get()));
            return Optional.empty();
        }
    }

    private Tally failed(String what, Exception e, Tally tally) {
        LOG.error("sweep stopped: " + what + "; the next run resumes from the mark", entry("mark", tally.mark),
                entry("errorMessage", e.getClass().getSimpleName() + ": " + e.getMessage()));
        metrics.addMetric(METRIC_FAILED, 1, MetricUnit.COUNT);
        tally.incomplete = true;
        return tally;
    }
}

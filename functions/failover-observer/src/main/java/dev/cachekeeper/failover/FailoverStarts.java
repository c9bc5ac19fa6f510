package dev.cachekeeper.failover;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsResponse;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.awssdk.services.elasticache.model.SourceType;

/**
 * When a failover started, so its completion can say how long it took: remembered from a {@code Failover Started}
 * event, or else found by looking back in DescribeEvents. Never guessed: no start found means "unknown".
 */
final class FailoverStarts {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverStarts.class);

    /** Marks outlive any failover by far; DynamoDB drops them by itself afterwards. */
    static final Duration MARK_TTL = Duration.ofDays(2);
    static final int MAX_EVENT_PAGES = 10;
    static final String FROM_EVENT = "Failover Started event";
    static final String FROM_DESCRIBE_EVENTS = "DescribeEvents";
    /** Completion messages of one failover (replication group and node sources) land within seconds of each other. */
    static final Duration SAME_FAILOVER = Duration.ofSeconds(30);

    private static final Pattern TEST_FAILOVER =
            Pattern.compile("test\\s*failover\\s+api\\s+called\\s+for\\s+node\\s+group\\s+([A-Za-z0-9_-]+)",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern TO_REPLICA =
            Pattern.compile("to\\s+replica\\s+node\\s+([A-Za-z0-9_-]+)", Pattern.CASE_INSENSITIVE);

    /**
     * @param at      when the failover started
     * @param source  how we know: {@code Failover Started event} or {@code DescribeEvents}
     * @param message the event's own words
     */
    record KnownStart(Instant at, String source, String message) {
    }

    /** The start, if found, and when not, why (for the record). */
    record Lookup(Optional<KnownStart> start, String note) {
    }

    private final EventLedger ledger;
    private final ElastiCacheClient elastiCache;
    private final Retrier retrier;
    private final Duration lookback;

    FailoverStarts(EventLedger ledger, ElastiCacheClient elastiCache, Retrier retrier, Duration lookback) {
        this.ledger = ledger;
        this.elastiCache = elastiCache;
        this.retrier = retrier;
        this.lookback = lookback;
    }

    Duration lookback() {
        return lookback;
    }

    /**
     * Remembers a start for its group and shard. A start that arrives after its own completion was reported (bus
     * delivery is not ordered) does not overwrite the consumed mark.
     *
     * @return false when the start was not kept because its completion was already reported
     */
    boolean remember(CacheEvent started) {
        String name = markName(started.cacheId(), started.shardId());
        Optional<ObjectNode> existing = read(name);
        Instant completedAt = existing.map(m -> instant(m, "completedAt")).orElse(null);
        if (completedAt != null && !completedAt.isBefore(started.time())) {
            return false;
        }
        ObjectNode mark = Json.MAPPER.createObjectNode();
        mark.put("startedAt", started.time().toString());
        if (started.message() != null) {
            mark.put("message", started.message());
        }
        ledger.writeMark(name, mark.toString(), MARK_TTL);
        return true;
    }

    /**
     * Finds when the failover that completed with {@code completed} started.
     *
     * @param shardId    its shard, if known
     * @param shardNodes the shard's nodes (and any node the event names), whose events DescribeEvents is asked for
     */
    Lookup find(CacheEvent completed, String shardId, String newPrimary, Set<String> shardNodes) {
        String ledgerNote = null;
        List<String> names = new ArrayList<>();
        names.add(markName(completed.cacheId(), shardId));
        if (shardId != null) {
            names.add(markName(completed.cacheId(), null));
        }
        Lookup lookup = null;
        for (String name : names) {
            try {
                Optional<ObjectNode> mark = read(name);
                if (mark.isPresent() && fits(mark.get(), completed.time())) {
                    ObjectNode m = mark.get();
                    lookup = new Lookup(Optional.of(new KnownStart(instant(m, "startedAt"),
                            m.hasNonNull("source") ? m.get("source").asText() : FROM_EVENT,
                            m.hasNonNull("message") ? m.get("message").asText() : null)), null);
                    break;
                }
            } catch (SdkException e) {
                ledgerNote = "start marks not readable: " + Retrier.errorCode(e);
                LOG.warn("could not read the failover start mark; looking in DescribeEvents instead",
                        entry("cacheId", completed.cacheId()), entry("errorCode", Retrier.errorCode(e)));
                break;
            }
        }
        if (lookup == null) {
            try {
                Optional<KnownStart> found = lookBack(completed, shardId, newPrimary, shardNodes);
                lookup = new Lookup(found, found.isPresent() ? null : joined(ledgerNote,
                        "no start event in the " + lookback.toMinutes() + " minutes before the completion"));
            } catch (SdkException e) {
                lookup = new Lookup(Optional.empty(),
                        joined(ledgerNote, "DescribeEvents failed: " + Retrier.errorCode(e)));
            }
        }
        markCompleted(names, completed, lookup.start());
        return lookup;
    }

    /**
     * Closes the shard's mark with this completion: a later failover without its own start event cannot reuse the
     * start, a start event delivered late is recognised as late, and a redelivery of this same completion finds the
     * same start again.
     */
    private void markCompleted(List<String> names, CacheEvent completed, Optional<KnownStart> start) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        start.ifPresent(s -> {
            m.put("startedAt", s.at().toString());
            m.put("source", s.source());
            if (s.message() != null) {
                m.put("message", s.message());
            }
        });
        m.put("completedAt", completed.time().toString());
        try {
            for (String name : names) {
                ledger.writeMark(name, m.toString(), MARK_TTL);
            }
        } catch (SdkException e) {
            LOG.warn("could not close the failover start mark", entry("cacheId", completed.cacheId()),
                    entry("errorCode", Retrier.errorCode(e)));
        }
    }

    private boolean fits(ObjectNode mark, Instant completedAt) {
        Instant startedAt = instant(mark, "startedAt");
        if (startedAt == null || startedAt.isAfter(completedAt) || startedAt.isBefore(completedAt.minus(lookback))) {
            return false;
        }
        return !mark.hasNonNull("completedAt") || mark.get("completedAt").asText().equals(completedAt.toString());
    }

    /**
     * Walks back from the completion through the group's and the shard's node events: the latest start-like event
     * is this failover's start, unless the completion of an earlier failover of the same shard comes first.
     */
    private Optional<KnownStart> lookBack(CacheEvent completed, String shardId, String newPrimary,
                                          Set<String> shardNodes) {
        Instant end = completed.time();
        Instant begin = end.minus(lookback);
        List<Event> events = new ArrayList<>(events(SourceType.REPLICATION_GROUP, completed.cacheId(), begin, end));
        for (String node : shardNodes) {
            events.addAll(events(SourceType.CACHE_CLUSTER, node, begin, end));
        }
        events.sort(Comparator.comparing(Event::date).reversed());
        for (Event e : events) {
            if (e.date() == null || e.message() == null || e.date().isAfter(end)) {
                continue;
            }
            if (isStartOf(e, shardId)) {
                return Optional.of(new KnownStart(e.date(), FROM_DESCRIBE_EVENTS, e.message()));
            }
            if (endsEarlierFailover(e, end, newPrimary, shardNodes)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private List<Event> events(SourceType type, String id, Instant begin, Instant end) {
        List<Event> out = new ArrayList<>();
        String marker = null;
        for (int page = 0; page < MAX_EVENT_PAGES; page++) {
            String m = marker;
            DescribeEventsResponse r = retrier.call(() -> elastiCache.describeEvents(b -> b.sourceType(type)
                    .sourceIdentifier(id).startTime(begin).endTime(end).maxRecords(100).marker(m)));
            out.addAll(r.events());
            marker = r.marker();
            if (marker == null || marker.isEmpty()) {
                break;
            }
        }
        return out;
    }

    /** {@code Test Failover API called for node group 0001}, or any "failover ... started/initiated" wording. */
    static boolean isStartOf(Event e, String shardId) {
        String msg = e.message();
        Matcher test = TEST_FAILOVER.matcher(msg);
        if (test.find()) {
            return shardId == null || test.group(1).equals(shardId);
        }
        String lower = msg.toLowerCase(Locale.ROOT);
        return lower.contains("failover") && !lower.contains("complete")
                && (lower.contains("start") || lower.contains("initiat") || lower.contains("begin"));
    }

    /** A completion of this shard naming another new primary, or well before ours: an earlier failover. */
    static boolean endsEarlierFailover(Event e, Instant completedAt, String newPrimary, Set<String> shardNodes) {
        String lower = e.message().toLowerCase(Locale.ROOT);
        if (!lower.contains("failover") || !lower.contains("complete")) {
            return false;
        }
        Matcher to = TO_REPLICA.matcher(e.message());
        if (to.find()) {
            String target = to.group(1);
            return shardNodes.contains(target) && newPrimary != null && !target.equals(newPrimary);
        }
        // Unnamed target: only a node of this shard tells us it is about this shard.
        return e.sourceType() == SourceType.CACHE_CLUSTER && shardNodes.contains(e.sourceIdentifier())
                && e.date().isBefore(completedAt.minus(SAME_FAILOVER));
    }

    private Optional<ObjectNode> read(String name) {
        Optional<String> v = ledger.readMark(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(v.get());
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** A mark written by an older or broken version must not stop a report: unreadable means absent. */
    private static Instant instant(ObjectNode mark, String field) {
        if (!mark.hasNonNull(field)) {
            return null;
        }
        try {
            return Instant.parse(mark.get(field).asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    static String markName(String groupId, String shardId) {
        return "failover-start#" + groupId + "#" + (shardId == null ? "any" : shardId);
    }

    private static String joined(String a, String b) {
        return a == null ? b : a + "; " + b;
    }
}

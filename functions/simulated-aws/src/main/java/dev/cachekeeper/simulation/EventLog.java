package dev.cachekeeper.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** ElastiCache's event history as DescribeEvents reads it: kept 14 days, in the order things happened. */
final class EventLog {
    static final Duration RETENTION = Duration.ofDays(14);

    /** One event; {@code seq} keeps the order of events recorded at the same instant. */
    record Entry(long seq, String sourceIdentifier, String sourceType, String message, Instant date) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private long seq;

    Entry record(String sourceType, String sourceIdentifier, String message, Instant date) {
        Entry e = new Entry(seq++, sourceIdentifier, sourceType, message, date);
        entries.add(e);
        entries.sort((a, b) -> a.date().equals(b.date()) ? Long.compare(a.seq(), b.seq()) : a.date().compareTo(b.date()));
        return e;
    }

    /** Events in [start, end], oldest first, optionally of one source type and identifier. */
    List<Entry> find(String sourceType, String sourceIdentifier, Instant start, Instant end) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.date().isBefore(start) || e.date().isAfter(end)) {
                continue;
            }
            if (sourceType != null && !sourceType.equals(e.sourceType())) {
                continue;
            }
            if (sourceIdentifier != null && !sourceIdentifier.equals(e.sourceIdentifier())) {
                continue;
            }
            out.add(e);
        }
        return out;
    }

    List<Entry> all() {
        return List.copyOf(entries);
    }

    void purgeBefore(Instant cutoff) {
        entries.removeIf(e -> e.date().isBefore(cutoff));
    }
}

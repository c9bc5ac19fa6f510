package dev.cachekeeper.failover;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is known about one completed failover: the log record, the source of the alert and the handler's result.
 *
 * @param startedFrom   how the start is known ({@code Failover Started event}, {@code DescribeEvents}), or null
 * @param duration      completion minus start; null when the start is unknown (never estimated)
 * @param durationNote  why the duration is unknown
 * @param topology      {@code checked}, or {@code unknown: <reason>}
 * @param warnings      what leaves the group less protected after the failover
 */
public record FailoverReport(String cacheId, String shardId, String previousPrimary, String previousPrimaryAz,
                      String newPrimary, String newPrimaryAz, Instant completedAt, Instant startedAt,
                      String startedFrom, String startMessage, Duration duration, String durationNote,
                      Boolean clusterMode, String groupStatus, String topology, List<String> warnings,
                      String origin, String sourceEvent, String message, String dedupKey, String dedupNote) {

    public FailoverReport {
        warnings = List.copyOf(warnings);
    }

    /** Seconds with millisecond precision, as the EMF metric and the record carry them. */
    public Double durationSeconds() {
        return duration == null ? null : duration.toMillis() / 1000.0;
    }

    /** {@code 4 s}, {@code 2 min 5 s}, or {@code unknown}. */
    public String durationText() {
        if (duration == null) {
            return "unknown";
        }
        long s = Math.round(duration.toMillis() / 1000.0);
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "cacheId", cacheId);
        put(m, "shardId", shardId);
        put(m, "previousPrimary", previousPrimary);
        put(m, "previousPrimaryAz", previousPrimaryAz);
        put(m, "newPrimary", newPrimary);
        put(m, "newPrimaryAz", newPrimaryAz);
        put(m, "completedAt", completedAt == null ? null : completedAt.toString());
        put(m, "startedAt", startedAt == null ? null : startedAt.toString());
        put(m, "startedFrom", startedFrom);
        put(m, "startMessage", startMessage);
        put(m, "durationSeconds", durationSeconds());
        m.put("duration", durationText());
        put(m, "durationNote", durationNote);
        put(m, "clusterMode", clusterMode);
        put(m, "groupStatus", groupStatus);
        put(m, "topology", topology);
        m.put("warnings", warnings);
        put(m, "origin", origin);
        put(m, "sourceEvent", sourceEvent);
        put(m, "eventMessage", message);
        put(m, "dedupKey", dedupKey);
        put(m, "dedupNote", dedupNote);
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}

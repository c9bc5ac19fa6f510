package dev.cachekeeper.failover;

import dev.cachekeeper.core.alert.Alert;
import dev.cachekeeper.core.alert.Severity;
import dev.cachekeeper.core.event.DetailTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The alert a person reads: the subject says which cache, which shard, which node is primary now and how long it
 * took; the body adds where the nodes are, what is wrong afterwards and what to check.
 *
 * <p>Severity: INFO when the group came out of the failover as protected as it went in (Multi-AZ did its job),
 * WARNING when anything leaves it less protected or could not be checked. CRITICAL is kept for data at risk.
 */
final class FailoverAlert {
    /** A cluster-mode-enabled group can report a finding per shard; the record keeps all, the alert the first few. */
    static final int MAX_LISTED_WARNINGS = 10;

    private FailoverAlert() {
    }

    static Alert of(FailoverReport r, long lookbackMinutes) {
        Severity severity = r.warnings().isEmpty() ? Severity.INFO : Severity.WARNING;
        return new Alert(severity, subject(r), body(r, lookbackMinutes), r.cacheId(), DetailTypes.FAILOVER_COMPLETED);
    }

    static String subject(FailoverReport r) {
        StringBuilder s = new StringBuilder(r.cacheId()).append(" failed over: ");
        if (r.shardId() != null) {
            s.append("shard ").append(r.shardId()).append(' ');
        }
        s.append(r.newPrimary() != null ? "now on " + r.newPrimary() : "new primary unknown");
        if (r.duration() != null) {
            // Unknown durations are left out rather than spelled out: the subject must stay within 100 characters.
            s.append(" (").append(r.durationText()).append(')');
        }
        if (!r.warnings().isEmpty()) {
            s.append(", ").append(r.warnings().size()).append(r.warnings().size() == 1 ? " warning" : " warnings");
        }
        return s.toString();
    }

    static String body(FailoverReport r, long lookbackMinutes) {
        StringBuilder b = new StringBuilder();
        b.append("Replication group ").append(r.cacheId()).append(" failed over.\n\n");
        line(b, "Shard", r.shardId() != null ? r.shardId() : "unknown");
        line(b, "Primary now", node(r.newPrimary(), r.newPrimaryAz()));
        line(b, "Previous primary", node(r.previousPrimary(), r.previousPrimaryAz()));
        line(b, "Completed at", r.completedAt().toString());
        if (r.startedAt() != null) {
            line(b, "Started at", r.startedAt() + " (" + r.startedFrom()
                    + (r.startMessage() != null ? ": " + r.startMessage() : "") + ")");
            line(b, "Duration", r.durationText() + " (writes to this shard were disturbed for at most this long)");
        } else {
            line(b, "Duration", "unknown (" + (r.durationNote() != null ? r.durationNote()
                    : "no start event in the " + lookbackMinutes + " minutes before") + ")");
        }
        b.append('\n');
        if (r.warnings().isEmpty()) {
            b.append("After the failover: Multi-AZ and automatic failover are on, every shard has an available ")
                    .append("replica, and no shard sits in a single AZ.\n");
        } else {
            b.append("Warnings after the failover:\n");
            r.warnings().stream().limit(MAX_LISTED_WARNINGS).forEach(w -> b.append("- ").append(w).append('\n'));
            if (r.warnings().size() > MAX_LISTED_WARNINGS) {
                b.append("- and ").append(r.warnings().size() - MAX_LISTED_WARNINGS)
                        .append(" more in the function's log\n");
            }
        }
        b.append("\nWhat to check:\n");
        for (String c : checks(r)) {
            b.append("- ").append(c).append('\n');
        }
        b.append("\nEvent: ").append(r.sourceEvent() != null ? r.sourceEvent() : DetailTypes.FAILOVER_COMPLETED)
                .append(" via ").append(r.origin()).append(", key ").append(r.dedupKey()).append('\n');
        return b.toString();
    }

    private static List<String> checks(FailoverReport r) {
        List<String> out = new ArrayList<>();
        String all = String.join("\n", r.warnings()).toLowerCase(Locale.ROOT);
        if (r.topology() != null && r.topology().startsWith("unknown")) {
            out.add("whether the group still exists: aws elasticache describe-replication-groups "
                    + "--replication-group-id " + r.cacheId());
        }
        if (all.contains("multi-az is") || all.contains("automatic failover is")) {
            out.add("turn Multi-AZ and automatic failover back on (modify-replication-group --multi-az-enabled "
                    + "--automatic-failover-enabled), or the next primary failure is an outage");
        }
        if (all.contains("no available replica") || all.contains("no replica")) {
            out.add("ElastiCache replaces the failed node in its AZ; if no replica is available within about "
                    + "15 minutes, read the group's events (aws elasticache describe-events)");
        }
        if (all.contains("all in ")) {
            out.add("spread the shard's replicas over AZs (preferred AZs, or add a replica in another AZ)");
        }
        out.add("clients reconnected through the primary endpoint; writes just before the failover may be lost "
                + "(replication is asynchronous)");
        return out;
    }

    private static String node(String id, String az) {
        if (id == null) {
            return "unknown";
        }
        return az == null ? id : id + " (" + az + ")";
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format("%-18s%s\n", label + ":", value));
    }
}

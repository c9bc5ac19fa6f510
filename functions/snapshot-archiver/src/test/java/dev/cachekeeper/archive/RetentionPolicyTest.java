package dev.cachekeeper.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.snapshot.CacheSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");

    private static List<CacheSnapshot> dailyCopies(int days) {
        List<CacheSnapshot> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            Instant t = NOW.minus(Duration.ofDays(d)).minus(Duration.ofHours(1));
            out.add(new CacheSnapshot("cachekeeper-archive-c-" + d, CacheKind.REPLICATION_GROUP, null, "c", null,
                    "available", true, t, false));
        }
        return out;
    }

    @Test
    void copiesYoungerThanRetentionAreKeptAndTheRestExpireNewestFirst() {
        var d = new RetentionPolicy(Duration.ofDays(10), 3, 0, 0, 0).decide(dailyCopies(15), NOW);
        assertEquals(10, d.kept().size());
        assertEquals(List.of("cachekeeper-archive-c-10", "cachekeeper-archive-c-11", "cachekeeper-archive-c-12",
                "cachekeeper-archive-c-13", "cachekeeper-archive-c-14"),
                d.expired().stream().map(CacheSnapshot::name).toList());
    }

    @Test
    void tiersKeepTheNewestCopyOfEachWeekAndMonth() {
        // 120 daily copies, 7 days' retention, plus 4 weekly and 3 monthly keepers.
        var d = new RetentionPolicy(Duration.ofDays(7), 0, 0, 4, 3).decide(dailyCopies(120), NOW);
        // NOW is Saturday 2026-11-21; the window holds 11-15 .. 11-21. Outside it the tiers keep the newest copy of
        // ISO weeks 45 (Sunday 11-08) and 44 (Sunday 11-01), and of October (10-31) and September (09-30).
        List<Instant> keptOld = d.kept().stream().map(CacheSnapshot::taken)
                .filter(t -> t.isBefore(NOW.minus(Duration.ofDays(7)))).sorted().toList();
        assertEquals(List.of(Instant.parse("2026-09-30T05:00:00Z"), Instant.parse("2026-10-31T05:00:00Z"),
                Instant.parse("2026-11-01T05:00:00Z"), Instant.parse("2026-11-08T05:00:00Z")), keptOld);
        assertEquals(120 - 7 - 4, d.expired().size());
    }
}

package dev.cachekeeper.archive;

import dev.cachekeeper.core.snapshot.CacheSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which of one cache's archive copies have outlived the retention policy. Pure: it sees names and times only;
 * the caller still checks each expired copy's tags (and keeps the newest verified ones up to the minimum) before
 * anything is deleted.
 *
 * <p>A copy is kept when its data is younger than the retention period, when it has no known time, or when it is
 * the newest copy of one of the last {@code keepDaily} days, {@code keepWeekly} ISO weeks or {@code keepMonthly}
 * months (all UTC). Everything else is expired, listed newest first.
 */
public record RetentionPolicy(Duration retention, int minCopies, int keepDaily, int keepWeekly, int keepMonthly) {

    public record Decision(List<CacheSnapshot> kept, List<CacheSnapshot> expired) {
    }

    public Decision decide(List<CacheSnapshot> copies, Instant now) {
        List<CacheSnapshot> sorted = copies.stream().sorted(ArchiveRules.NEWEST_FIRST).toList();
        Instant cutoff = now.minus(retention);
        Set<String> tierKept = new HashSet<>();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        tier(sorted, keepDaily, d -> d, d -> today.minusDays(keepDaily - 1L).isAfter(d), tierKept);
        tier(sorted, keepWeekly, d -> d.get(IsoFields.WEEK_BASED_YEAR) * 100 + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
                d -> ChronoUnit.WEEKS.between(d.with(java.time.DayOfWeek.MONDAY), today.with(java.time.DayOfWeek.MONDAY))
                        >= keepWeekly, tierKept);
        tier(sorted, keepMonthly, YearMonth::from,
                d -> ChronoUnit.MONTHS.between(YearMonth.from(d), YearMonth.from(today)) >= keepMonthly, tierKept);
        List<CacheSnapshot> kept = new ArrayList<>();
        List<CacheSnapshot> expired = new ArrayList<>();
        for (CacheSnapshot c : sorted) {
            if (c.taken() == null || c.taken().isAfter(cutoff) || tierKept.contains(c.name())) {
                kept.add(c);
            } else {
                expired.add(c);
            }
        }
        return new Decision(kept, expired);
    }

    /** The newest copy of each period not older than the tier reaches; {@code sorted} is newest first. */
    private static void tier(List<CacheSnapshot> sorted, int periods, Function<LocalDate, Object> periodOf,
                             java.util.function.Predicate<LocalDate> tooOld, Set<String> out) {
        if (periods <= 0) {
            return;
        }
        Set<Object> seen = new HashSet<>();
        for (CacheSnapshot c : sorted) {
            if (c.taken() == null) {
                continue;
            }
            LocalDate d = LocalDate.ofInstant(c.taken(), ZoneOffset.UTC);
            if (!tooOld.test(d) && seen.add(periodOf.apply(d))) {
                out.add(c.name());
            }
        }
    }
}

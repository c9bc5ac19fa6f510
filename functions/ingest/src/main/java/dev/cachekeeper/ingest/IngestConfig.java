package dev.cachekeeper.ingest;

import dev.cachekeeper.core.Settings;
import java.time.Duration;

/**
 * The ingest function's settings (environment variables set by template.yaml).
 *
 * @param dedupTtl      how long a de-duplication claim lives: longer than the 14 days DescribeEvents keeps, so a
 *                      sweep that re-reads its whole window never republishes
 * @param overlap       how far before its mark the sweep starts reading again, for events DescribeEvents lists late
 * @param firstLookback how far back the very first sweep (no mark yet) reads
 * @param window        the span of one DescribeEvents query; the mark advances window by window
 */
public record IngestConfig(Duration dedupTtl, Duration overlap, Duration firstLookback, Duration window) {
    public static final String DEDUP_TTL = "CACHEKEEPER_DEDUP_TTL";
    public static final String SWEEP_OVERLAP = "CACHEKEEPER_SWEEP_OVERLAP";
    public static final String SWEEP_FIRST_LOOKBACK = "CACHEKEEPER_SWEEP_FIRST_LOOKBACK";
    /** DescribeEvents keeps events this long. */
    public static final Duration RETENTION = Duration.ofDays(14);

    public IngestConfig {
        if (dedupTtl.compareTo(RETENTION.plusDays(1)) < 0) {
            throw new IllegalStateException(DEDUP_TTL + " must be at least 15d (DescribeEvents keeps 14 days), not "
                    + dedupTtl.toDays() + "d");
        }
        if (overlap.isNegative() || overlap.compareTo(Duration.ofHours(6)) > 0) {
            throw new IllegalStateException(SWEEP_OVERLAP + " must be between 0 and 6h");
        }
        if (firstLookback.isZero() || firstLookback.isNegative() || firstLookback.compareTo(RETENTION) > 0) {
            throw new IllegalStateException(SWEEP_FIRST_LOOKBACK + " must be more than 0 and at most 14d");
        }
    }

    public static IngestConfig defaults() {
        return new IngestConfig(Duration.ofDays(15), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(1));
    }

    public static IngestConfig from(Settings s) {
        IngestConfig d = defaults();
        return new IngestConfig(s.duration(DEDUP_TTL, d.dedupTtl()), s.duration(SWEEP_OVERLAP, d.overlap()),
                s.duration(SWEEP_FIRST_LOOKBACK, d.firstLookback()), d.window());
    }
}

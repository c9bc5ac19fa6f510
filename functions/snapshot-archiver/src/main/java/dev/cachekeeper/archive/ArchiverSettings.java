package dev.cachekeeper.archive;

import dev.cachekeeper.core.CacheSelection;
import dev.cachekeeper.core.Settings;
import java.time.Duration;
import java.util.Optional;

/**
 * The archiver's configuration, read once from the environment (template.yaml parameters). Retention is counted
 * from the time a copy's data was taken, so a copy made late by the sweep does not live longer than one made on time.
 *
 * @param retention     how long a copy is kept (RetentionDays)
 * @param minCopies     the newest copies of each cache that are kept whatever their age (MinCopies)
 * @param keepDaily     also keep the newest copy of each of the last N days (0 = off)
 * @param keepWeekly    also keep the newest copy of each of the last N ISO weeks (0 = off)
 * @param keepMonthly   also keep the newest copy of each of the last N months (0 = off)
 * @param exportBucket  S3 bucket each new copy is also exported to, if any
 * @param manageBucketAcl the stack created the bucket: the archiver may add ElastiCache's ACL grant itself
 * @param kmsKeyId      KMS key for the copies, if any (else the source's encryption)
 * @param concurrency   caches worked on at once during a sweep
 * @param stopMargin    the sweep starts no new cache when less than this is left of the Lambda's time
 * @param dryRun        log the plan, change nothing
 */
public record ArchiverSettings(Duration retention, int minCopies, int keepDaily, int keepWeekly, int keepMonthly,
                               Optional<String> exportBucket, boolean manageBucketAcl, Optional<String> kmsKeyId,
                               int concurrency, Duration stopMargin, boolean dryRun, CacheSelection selection,
                               String region) {
    public static final String RETENTION_DAYS = "CACHEKEEPER_ARCHIVE_RETENTION_DAYS";
    public static final String MIN_COPIES = "CACHEKEEPER_ARCHIVE_MIN_COPIES";
    public static final String KEEP_DAILY = "CACHEKEEPER_ARCHIVE_KEEP_DAILY";
    public static final String KEEP_WEEKLY = "CACHEKEEPER_ARCHIVE_KEEP_WEEKLY";
    public static final String KEEP_MONTHLY = "CACHEKEEPER_ARCHIVE_KEEP_MONTHLY";
    public static final String EXPORT_BUCKET = "CACHEKEEPER_ARCHIVE_EXPORT_BUCKET";
    public static final String EXPORT_BUCKET_MANAGED = "CACHEKEEPER_ARCHIVE_EXPORT_BUCKET_MANAGED";
    public static final String KMS_KEY_ID = "CACHEKEEPER_ARCHIVE_KMS_KEY_ID";
    public static final String CONCURRENCY = "CACHEKEEPER_ARCHIVE_CONCURRENCY";
    public static final String STOP_MARGIN = "CACHEKEEPER_ARCHIVE_STOP_MARGIN";

    public static final int DEFAULT_CONCURRENCY = 8;

    public static ArchiverSettings from(Settings s) {
        return new ArchiverSettings(
                Duration.ofDays(s.integer(RETENTION_DAYS, 90, 1, 36_500)),
                s.integer(MIN_COPIES, 3, 0, 1_000),
                s.integer(KEEP_DAILY, 0, 0, 3_650),
                s.integer(KEEP_WEEKLY, 0, 0, 520),
                s.integer(KEEP_MONTHLY, 0, 0, 1_200),
                s.optional(EXPORT_BUCKET),
                s.flag(EXPORT_BUCKET_MANAGED, false),
                s.optional(KMS_KEY_ID),
                s.integer(CONCURRENCY, DEFAULT_CONCURRENCY, 1, 64),
                s.duration(STOP_MARGIN, Duration.ofSeconds(60)),
                s.dryRun(),
                s.selection(),
                s.region());
    }

    public ArchiverSettings withDryRun(boolean dry) {
        return new ArchiverSettings(retention, minCopies, keepDaily, keepWeekly, keepMonthly, exportBucket,
                manageBucketAcl, kmsKeyId, concurrency, stopMargin, dry, selection, region);
    }

    RetentionPolicy retentionPolicy() {
        return new RetentionPolicy(retention, minCopies, keepDaily, keepWeekly, keepMonthly);
    }
}

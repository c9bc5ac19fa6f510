package dev.cachekeeper.archive;

import dev.cachekeeper.core.snapshot.CacheSnapshot;
import dev.cachekeeper.core.snapshot.SnapshotNames;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;

/**
 * What the archiver decides about a snapshot from the facts every function reads alike ({@link CacheSnapshot}):
 * which snapshots are its copies, which can be copied, and in which order it takes them.
 */
public final class ArchiveRules {

    /** The archiver's copies: {@code cachekeeper-archive-...}. The managed tag is checked as well before deleting. */
    public static final String COPY_PREFIX = SnapshotNames.PREFIX + SnapshotArchiver.PURPOSE + "-";

    /** Newest first; snapshots without a time sort first, so they are never taken for the oldest. */
    public static final Comparator<CacheSnapshot> NEWEST_FIRST = Comparator
            .comparing(CacheSnapshot::taken, Comparator.nullsFirst(Comparator.<Instant>reverseOrder()))
            .thenComparing(CacheSnapshot::name);

    private ArchiveRules() {
    }

    /** Complete data: available, or being copied or exported right now (which a further copy may read too). */
    public static boolean copyable(CacheSnapshot s) {
        return s.available() || "copying".equalsIgnoreCase(s.status());
    }

    /** Named like one of the archiver's copies (the tag still has to agree before anything is deleted). */
    public static boolean namedAsCopy(CacheSnapshot s) {
        return s.name().toLowerCase(Locale.ROOT).startsWith(COPY_PREFIX);
    }
}

package dev.cachekeeper.core.snapshot;

import dev.cachekeeper.core.event.CacheEvents;
import java.util.Locale;

/**
 * Names of the snapshots cachekeeper creates. They are derived only from what caused them, so a repeated event
 * finds the existing snapshot (SnapshotAlreadyExists) instead of making a second one, and they all start with
 * {@link #PREFIX} so a person can tell ours at a glance.
 */
public final class SnapshotNames {
    public static final String PREFIX = "cachekeeper-";
    /** ElastiCache stores snapshot names lower-case; we keep well under its length limit. */
    public static final int MAX_LENGTH = 200;

    private SnapshotNames() {
    }

    /**
     * {@code cachekeeper-<purpose>-<parts...>}, lower-case, only letters, digits and single hyphens. When too long,
     * the tail is replaced by a hash of the full text so two long sources never share a name.
     */
    public static String derive(String purpose, String... parts) {
        StringBuilder raw = new StringBuilder(PREFIX).append(purpose);
        for (String p : parts) {
            raw.append('-').append(p);
        }
        String name = sanitize(raw.toString());
        if (name.length() > MAX_LENGTH) {
            String hash = CacheEvents.dedupKey(raw.toString()).substring(0, 12);
            name = trimHyphens(name.substring(0, MAX_LENGTH - hash.length() - 1)) + "-" + hash;
        }
        return name;
    }

    public static boolean hasPrefix(String snapshotName) {
        return snapshotName != null && snapshotName.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    static String sanitize(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            char next = keep ? c : '-';
            if (next == '-' && (out.isEmpty() || out.charAt(out.length() - 1) == '-')) {
                continue;
            }
            out.append(next);
        }
        return trimHyphens(out.toString());
    }

    private static String trimHyphens(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(0, end);
    }
}

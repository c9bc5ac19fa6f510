package dev.cachekeeper.core.snapshot;

import java.util.Map;

/**
 * The single check every deletion path goes through: a snapshot may be deleted only if it carries both our name
 * prefix and our managed tag. A snapshot someone else made, or one that merely looks like ours, is never touched.
 */
public final class DeletionGuard {
    private DeletionGuard() {
    }

    public static boolean mayDelete(String snapshotName, Map<String, String> tags) {
        return SnapshotNames.hasPrefix(snapshotName) && ManagedTags.isManaged(tags);
    }

    public static void requireDeletable(String snapshotName, Map<String, String> tags) {
        if (!mayDelete(snapshotName, tags)) {
            throw new IllegalStateException("refusing to delete snapshot '" + snapshotName
                    + "': only snapshots named " + SnapshotNames.PREFIX + "* AND tagged " + ManagedTags.MANAGED + "="
                    + ManagedTags.MANAGED_VALUE + " are ours to delete");
        }
    }
}

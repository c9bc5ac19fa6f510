package dev.cachekeeper.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedTagsTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void ourTagsComeFirstAndTheCacheTagsFillTheRestUpToTheLimit() {
        Map<String, String> ours = ManagedTags.of("archive", "orders", "automatic.orders-2026-11-20-03-00", NOW,
                NOW.plusSeconds(86400), null);
        Map<String, String> cacheTags = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            cacheTags.put("team" + i, "v" + i);
        }
        cacheTags.put("aws:cloudformation:stack-name", "reserved");
        cacheTags.put(ManagedTags.REASON, "an attempt to overwrite ours");

        ManagedTags.Merged merged = ManagedTags.merge(ours, cacheTags);

        assertEquals(ManagedTags.TAG_LIMIT, merged.tags().size());
        assertEquals("archive", merged.tags().get(ManagedTags.REASON));
        assertFalse(merged.tags().containsKey("aws:cloudformation:stack-name"));
        assertEquals(60 - (ManagedTags.TAG_LIMIT - ours.size()), merged.droppedKeys().size());
        assertTrue(ManagedTags.isManaged(merged.tags()));
    }

    @Test
    void deletionNeedsBothPrefixAndTag() {
        Map<String, String> managed = Map.of(ManagedTags.MANAGED, "true");
        assertTrue(DeletionGuard.mayDelete("cachekeeper-copy-x", managed));
        assertFalse(DeletionGuard.mayDelete("cachekeeper-copy-x", Map.of()));
        assertFalse(DeletionGuard.mayDelete("nightly-backup", managed));
        assertFalse(DeletionGuard.mayDelete("cachekeeper-copy-x", Map.of(ManagedTags.MANAGED, "false")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeletionGuard.requireDeletable("nightly-backup", managed));
        assertTrue(e.getMessage().contains("nightly-backup"));
    }
}

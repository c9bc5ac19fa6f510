package dev.cachekeeper.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnapshotNamesTest {
    @Test
    void copyOfAnAutomaticSnapshotHasAStableLowerCaseName() {
        String name = SnapshotNames.derive("copy", "automatic.Orders-Cache-2026-11-20-03-00");
        assertEquals("cachekeeper-copy-automatic-orders-cache-2026-11-20-03-00", name);
        assertEquals(name, SnapshotNames.derive("copy", "automatic.Orders-Cache-2026-11-20-03-00"));
    }

    @Test
    void neverTwoHyphensInARowNorATrailingOne() {
        String name = SnapshotNames.derive("pre-destroy", "--a..b__c--");
        assertEquals("cachekeeper-pre-destroy-a-b-c", name);
    }

    @Test
    void longSourcesAreShortenedWithAHashSoTheyStayDistinct() {
        String a = SnapshotNames.derive("copy", "x".repeat(300) + "a");
        String b = SnapshotNames.derive("copy", "x".repeat(300) + "b");
        assertTrue(a.length() <= SnapshotNames.MAX_LENGTH, a);
        assertNotEquals(a, b);
    }

    @Test
    void prefixIsCheckedCaseInsensitively() {
        assertTrue(SnapshotNames.hasPrefix("CacheKeeper-copy-x"));
        assertFalse(SnapshotNames.hasPrefix("automatic.orders-2026-11-20-03-00"));
        assertFalse(SnapshotNames.hasPrefix(null));
    }
}

package dev.cachekeeper.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.core.event.DetailTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DescribeEventsSweepTest {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    /** A snapshot of its own cluster every {@code every}, from {@code from} on: all distinct real-world events. */
    private static int history(IngestFixture f, Instant from, Duration every, int count, String prefix) {
        for (int i = 0; i < count; i++) {
            Instant t = from.plus(every.multipliedBy(i));
            String cluster = prefix + i + "-cache"; // not "<x>-<3 digits>", which reads as a group member
            f.aws.elastiCache().recordEvent("cache-cluster", cluster, "Snapshot succeeded for snapshot with ID 'snap-"
                    + prefix + i + "' of cache cluster with ID '" + cluster + "'", t);
            // Noise the sweep must read past without publishing.
            f.aws.elastiCache().recordEvent("cache-parameter-group", "default.valkey8", "Parameter group modified", t);
        }
        return count;
    }

    private static void assertEachOnce(IngestFixture f, int expected) {
        var events = f.published();
        assertEquals(expected, events.size());
        assertEquals(expected, new HashSet<>(events.stream().map(e -> e.event().snapshotName()).toList()).size(),
                "no snapshot published twice");
    }

    @Test
    void pagesThroughALongHistoryToNow() {
        IngestFixture f = IngestFixture.at(NOW.toString());
        f.ledger.writeMark(DescribeEventsSweep.MARK, NOW.minus(Duration.ofDays(3)).toString());
        int spread = history(f, NOW.minus(Duration.ofDays(3)), Duration.ofMinutes(7), 600, "spread-");
        // A burst inside one window: 260 events and 260 noise entries in one hour take several 100-record pages.
        int burst = history(f, NOW.minus(Duration.ofHours(5)), Duration.ofSeconds(13), 260, "burst-");

        Tally t = f.sweep();

        assertFalse(t.incomplete());
        assertEquals(spread + burst, t.published());
        assertEachOnce(f, spread + burst);
        assertEquals(NOW.toString(), f.ledger.readMark(DescribeEventsSweep.MARK).orElseThrow());
        assertTrue(t.pages() >= 72 + 5, "one query per hour of three days, several pages for the burst: " + t.pages());
        var calls = f.aws.callsByOperation().get("DescribeEvents");
        assertTrue(calls.size() == t.pages());
    }

    @Test
    void resumesFromItsMarkAfterDescribeEventsFails() {
        IngestFixture f = IngestFixture.at(NOW.toString());
        f.ledger.writeMark(DescribeEventsSweep.MARK, NOW.minus(Duration.ofDays(2)).toString());
        int total = history(f, NOW.minus(Duration.ofDays(2)), Duration.ofMinutes(9), 300, "c-");
        AtomicInteger seen = new AtomicInteger();
        // Half way through, DescribeEvents starts failing for longer than the retrier waits.
        f.aws.eventBridge().subscribe(e -> {
            if (seen.incrementAndGet() == 120) {
                f.aws.faults().serverError("DescribeEvents", 6);
            }
        });

        Tally first = f.sweep();

        assertTrue(first.incomplete());
        Instant mark = Instant.parse(f.ledger.readMark(DescribeEventsSweep.MARK).orElseThrow());
        assertTrue(mark.isAfter(NOW.minus(Duration.ofDays(2))) && mark.isBefore(NOW), "mark advanced part way: " + mark);
        assertTrue(first.published() >= 120 && first.published() < total, "published " + first.published());

        Tally second = f.sweep();

        assertFalse(second.incomplete());
        assertEquals(total, first.published() + second.published());
        assertEachOnce(f, total);
    }

    @Test
    void stopsBeforeTheDeadlineAndTheNextRunFinishes() {
        IngestFixture f = IngestFixture.at(NOW.toString());
        f.ledger.writeMark(DescribeEventsSweep.MARK, NOW.minus(Duration.ofDays(1)).toString());
        int total = history(f, NOW.minus(Duration.ofDays(1)), Duration.ofMinutes(10), 144, "d-");
        AtomicInteger pages = new AtomicInteger();

        // Lambda's remaining time drops below the safety margin after ten pages.
        Tally first = f.sweep(() -> pages.incrementAndGet() > 10 ? Duration.ofSeconds(5) : Duration.ofMinutes(1));
        assertTrue(first.incomplete());
        assertEquals(10, first.pages());
        assertEquals(NOW.minus(Duration.ofDays(1)).plus(Duration.ofHours(10)).minus(Duration.ofMinutes(10)).toString(),
                first.mark(), "the mark is the end of the last finished window");

        Tally second = f.sweep();
        assertFalse(second.incomplete());
        assertEquals(total, first.published() + second.published());
        assertEachOnce(f, total);
    }

    @Test
    void republishesNothingWhenItsOverlapIsReadAgain() {
        IngestFixture f = IngestFixture.at(NOW.toString());
        int total = history(f, NOW.minus(Duration.ofMinutes(50)), Duration.ofMinutes(1), 50, "o-");
        assertEquals(total, f.sweep().published());
        f.aws.advance(Duration.ofMinutes(5));
        Tally again = f.sweep();
        assertEquals(0, again.published());
        assertTrue(again.duplicates() > 0, "the overlap was read again and recognised");
    }

    @Test
    void firstRunLooksBackOneHour() {
        IngestFixture f = IngestFixture.at(NOW.toString());
        history(f, NOW.minus(Duration.ofHours(3)), Duration.ofMinutes(1), 1, "old-");
        history(f, NOW.minus(Duration.ofMinutes(30)), Duration.ofMinutes(1), 1, "new-");
        Tally t = f.sweep();
        assertEquals(1, t.published());
        assertEquals("snap-new-0", f.published().get(0).event().snapshotName());
        assertEquals("new-0-cache", f.published().get(0).event().cacheId());
    }

    @Test
    void aMarkOlderThanFourteenDaysIsClampedAndTheGapReported() {
        IngestFixture f = IngestFixture.at(NOW.toString());
        f.ledger.writeMark(DescribeEventsSweep.MARK, NOW.minus(Duration.ofDays(20)).toString());
        history(f, NOW.minus(Duration.ofDays(13)), Duration.ofDays(1), 13, "k-");

        Tally t = f.sweep();

        assertEquals(13, t.published());
        f.metrics.flush(); // the handler flushes after each invocation; the sweep alone leaves metrics pending
        assertEquals(1.0, f.metrics.sum(DescribeEventsSweep.METRIC_GAP));
        var calls = f.aws.callsByOperation().get("DescribeEvents");
        Instant firstStart = Instant.parse(calls.get(0).param("StartTime"));
        assertFalse(firstStart.isBefore(NOW.minus(Duration.ofDays(14))), "never asks for more than 14 days");
    }

    @Test
    void aPartialPutEventsFailureKeepsTheMarkAndIsRepublishedOnce() {
        IngestFixture f = IngestFixture.at(NOW.toString());
        f.ledger.writeMark(DescribeEventsSweep.MARK, NOW.minus(Duration.ofMinutes(30)).toString());
        int total = history(f, NOW.minus(Duration.ofMinutes(30)), Duration.ofMinutes(1), 25, "p-");
        // Enough rejected entries that some stay rejected through every re-send round.
        f.aws.eventBridge().failNextEntries(200, "InternalFailure");

        Tally first = f.sweep();

        assertTrue(first.failed() > 0);
        assertTrue(first.incomplete());
        assertEquals(NOW.minus(Duration.ofMinutes(30)).toString(), f.ledger.readMark(DescribeEventsSweep.MARK)
                .orElseThrow(), "the mark does not pass events that are not on the bus");

        Tally second = f.sweep();
        assertEquals(total, first.published() + second.published());
        assertEachOnce(f, total);
        assertTrue(f.published().stream().allMatch(p -> p.detailType().equals(DetailTypes.SNAPSHOT_COMPLETED)));
    }
}

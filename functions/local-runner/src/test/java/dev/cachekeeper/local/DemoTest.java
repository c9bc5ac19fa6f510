package dev.cachekeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's first command: the story runs to the end and ends with the alerts and snapshots it should. */
class DemoTest {
    static Demo.Outcome outcome;
    static String timeline;

    @BeforeAll
    static void runDemo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        outcome = Demo.run(Samples.CHECKOUT, new PrintStream(out, true, StandardCharsets.UTF_8));
        timeline = out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsToTheSummary() {
        assertTrue(timeline.contains("== 1. Multi-AZ failover"), timeline);
        assertTrue(timeline.contains("== Summary at"), timeline);
        assertTrue(timeline.contains("(0 failed)"), "a function invocation failed:\n" + timeline);
    }

    @Test
    void theFailoverIsAlertedOnce() {
        List<String> failovers = outcome.alertsBySeverity().values().stream().flatMap(List::stream)
                .filter(s -> s.contains("failed over")).toList();
        assertEquals(1, failovers.size(), failovers.toString());
        assertTrue(failovers.get(0).contains("orders-cache") && failovers.get(0).contains("orders-cache-002"));
    }

    @Test
    void theAutomaticSnapshotIsArchivedAndOutlivesItsCache() {
        List<String> ours = outcome.snapshotsByKind().get("cachekeeper");
        assertTrue(ours.stream().anyMatch(n -> n.startsWith("cachekeeper-archive-automatic-orders-cache-")), ours.toString());
        // the group is gone, and with it its automatic snapshots: only the copy remains
        assertTrue(outcome.snapshotsByKind().get("automatic").stream().noneMatch(n -> n.contains("orders-cache")),
                outcome.snapshotsByKind().toString());
    }

    @Test
    void theSafeDestroySnapshotsFirstDeletesAndAuditsClean() {
        assertEquals("SUCCEEDED", outcome.safeDestroyStatus());
        assertTrue(outcome.snapshotsByKind().get("cachekeeper").stream()
                .anyMatch(n -> n.startsWith("cachekeeper-pre-destroy-orders-cache-")), outcome.snapshotsByKind().toString());
        assertTrue(outcome.auditVerdicts().contains("orders-cache: FINAL_SNAPSHOT_REQUESTED"), outcome.auditVerdicts().toString());
        assertTrue(outcome.alertsBySeverity().getOrDefault("CRITICAL", List.of()).stream()
                .noneMatch(s -> s.contains("orders-cache")), "the safe destroy raised a critical alert");
    }

    @Test
    void theUnguardedDeleteRaisesOneCriticalAlertForTheGroup() {
        List<String> critical = outcome.alertsBySeverity().getOrDefault("CRITICAL", List.of());
        // Its four member nodes report their own deletion too; they are the same delete, so no alert of their own.
        assertEquals(1, critical.size(), critical.toString());
        assertTrue(critical.get(0).contains("CRITICAL sessions deleted"), critical.toString());
        assertTrue(outcome.auditVerdicts().contains("sessions: NOTHING_RECOVERABLE"), outcome.auditVerdicts().toString());
    }

    @Test
    void theRestoreRunsWhenTheTemplateHasItsStateMachine() throws Exception {
        var template = Samples.template();
        boolean deployed = template.idsOfType(dev.cachekeeper.contract.SamTemplate.STATE_MACHINE).stream()
                .anyMatch(id -> String.valueOf(template.properties(id).get("DefinitionUri"))
                        .endsWith("restore.asl.json"));
        assertEquals(deployed ? "SUCCEEDED" : "NOT DEPLOYED", outcome.restoreStatus(), timeline);
    }
}

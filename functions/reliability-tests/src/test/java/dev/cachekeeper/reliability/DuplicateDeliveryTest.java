package dev.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.local.SampleTargets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * At-least-once delivery: EventBridge, SNS and Lambda's own retries may deliver the same event more than once, and
 * an operator may start the same restore twice. Every sample of events/ that template.yaml routes somewhere (the
 * EventBridge and SNS samples, the scheduled events, the restore inputs to the restore state machine, the destroy
 * requests to the safe-destroy state machine) is delivered to each of its targets by the local runner's
 * {@code LocalDeployment}, and what follows is delivered too.
 *
 * <p>What "the same state" means here ({@link Stack.State}): the same snapshot names with the same tags and
 * status (time-valued tags {@code cachekeeper:created}/{@code expires} excepted: they say when, not what), the same
 * caches with the same status, and the same number of alerts per (subject, cache id) — one alert per real event.
 * Both runs are settled at the same simulated instant ({@link #SETTLE}) before they are compared, so work that
 * completes with time (a deletion, a snapshot) is compared complete.
 *
 * <p>Two tests: each routed sample on its own, delivered once on a fresh deployment vs three times in a row on
 * another; and a mixed story: every event (EventBridge and SNS samples, destroy requests) three times, scheduled
 * events once, shuffled with a printed seed ({@code -Dcachekeeper.reliability.seed}), vs each once in the order of
 * its first delivery in that shuffle (so only the repeats differ, not the order of the real events).
 *
 * <p>Where a repeat does something visible, that is asserted instead ({@link #checkRepeat}): a second execution of
 * the same restore input is refused (its target group exists, created by another execution), creates no second
 * group and announces its failure once; a repeated destroy request reuses the first one's snapshot, changes nothing
 * and repeats its announcement (an extra alert per duplicate delivery: known, see the issue #9 report).
 */
class DuplicateDeliveryTest {
    /** Long after the longest story (a safe destroy waits minutes): both runs are compared at this simulated time. */
    static final Instant SETTLE = Stack.START.plus(Duration.ofHours(2));
    static final long SEED = Long.getLong("cachekeeper.reliability.seed", 20261121L);

    static Stream<SampleTargets.Target> targets() {
        return Stack.targets().stream();
    }

    static void settle(Stack s) {
        assertTrue(s.sim.now().isBefore(SETTLE), "the story ran past the settle time: " + s.sim.now());
        s.deployment.advanceTo(SETTLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void threeDeliveriesEndAsOne(SampleTargets.Target target) {
        Stack once = Stack.fresh();
        Stack.Outcome first = once.deliver(target);
        settle(once);

        Stack thrice = Stack.fresh();
        List<Stack.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            outcomes.add(thrice.deliver(target));
        }
        settle(thrice);

        assertEquals(first.failed(), outcomes.get(0).failed(), "the first of three deliveries ended differently: "
                + first + " vs " + outcomes.get(0));
        Stack.State actual = thrice.state();
        for (Stack.Outcome repeat : outcomes.subList(1, 3)) {
            checkRepeat(thrice, repeat, first, actual);
        }
        assertEquals(once.state(), actual, target + " delivered three times ended differently than once:"
                + once.state().diff(actual));
    }

    /**
     * A repeat that is visible by design, checked and then taken out of {@code actual}'s alert count. A restore
     * input: each StartExecution is a request of its own; while the first one's group exists a repeat is refused
     * ("already exists"), creates nothing, and announces its failure once. A destroy request: the repeat reuses
     * the pre-destroy snapshot (or is refused as the first one was), takes no snapshot and makes no delete call,
     * and repeats the first one's announcement (see the report of issue #9: the duplicate is not recognised as one).
     */
    static void checkRepeat(Stack s, Stack.Outcome repeat, Stack.Outcome first, Stack.State actual) {
        boolean firstFailed = first.failed();
        if (isRestore(s, repeat.target())) {
            assertTrue(repeat.failed(), "a repeated restore succeeded: " + repeat);
            if (!firstFailed) {
                assertFalse(createdGroup(repeat), "a repeated restore created a group: " + repeat);
                assertTrue(repeat.error().contains("already exists"), repeat.error());
            }
            assertTrue(repeat.alerts().stream().anyMatch(a -> a.subject().contains("restore of")
                    && a.subject().contains("failed")), "the refused restore was not announced: " + repeat.alerts());
        } else if (s.isStateMachine(repeat.target())) {
            if (firstFailed) {
                // refused again, maybe for a newer reason (the cache was deleting, now it is gone)
                assertTrue(repeat.failed(), "a repeat of a refused destroy request went through: " + repeat);
            } else {
                assertFalse(repeat.failed(), "a repeated destroy request failed: " + repeat);
                assertTrue(repeat.execution().output().path("reused").asBoolean(), "the repeat did not reuse the"
                        + " pre-destroy snapshot: " + repeat.execution().output());
            }
            List<String> changes = repeat.calls().stream().filter(c -> c.mutating() && c.service().equals("elasticache"))
                    .map(c -> c.operation() + " " + c.keyParams()).toList();
            assertEquals(List.of(), changes, "a repeated destroy request changed something");
            assertEquals(1, repeat.alerts().size(), repeat.alerts().toString());
            assertEquals(first.alerts().get(0).attributes().get("severity"),
                    repeat.alerts().get(0).attributes().get("severity"), repeat.alerts().toString());
        } else {
            return;
        }
        repeat.alerts().forEach(a -> actual.alerts().merge(Stack.alertKey(a), -1, Integer::sum));
        actual.alerts().values().removeIf(n -> n == 0);
    }

    @Test
    void allSamplesThreeTimesShuffledEndAsAllOnce() {
        List<SampleTargets.Target> all = Stack.targets().stream().filter(t -> !isRestoreInput(t)).toList();
        List<SampleTargets.Target> deliveries = new ArrayList<>(all);
        for (int i = 0; i < 2; i++) {
            deliveries.addAll(all.stream().filter(DuplicateDeliveryTest::isEvent).toList());
        }
        Collections.shuffle(deliveries, new Random(SEED));
        System.out.println("DuplicateDeliveryTest: shuffle seed " + SEED + " (-Dcachekeeper.reliability.seed=...)");
        // The real events, in the order of their first delivery: duplicates change nothing, order is not the question.
        List<SampleTargets.Target> realEvents = new ArrayList<>(new LinkedHashSet<>(deliveries));

        Stack once = Stack.fresh();
        realEvents.forEach(once::deliver);
        settle(once);

        Stack mixed = Stack.fresh();
        Map<SampleTargets.Target, Stack.Outcome> firsts = new HashMap<>();
        List<Map.Entry<SampleTargets.Target, Stack.Outcome>> repeats = new ArrayList<>();
        for (SampleTargets.Target t : deliveries) {
            Stack.Outcome o = mixed.deliver(t);
            if (firsts.putIfAbsent(t, o) != null) {
                repeats.add(Map.entry(t, o));
            }
        }
        settle(mixed);

        Stack.State actual = mixed.state();
        for (Map.Entry<SampleTargets.Target, Stack.Outcome> repeat : repeats) {
            checkRepeat(mixed, repeat.getValue(), firsts.get(repeat.getKey()), actual);
        }
        assertEquals(once.state(), actual, "seed " + SEED + ": every sample three times, shuffled, ended"
                + " differently than each once in the same order:" + once.state().diff(actual));
    }

    /**
     * An event AWS may deliver more than once: EventBridge and SNS deliveries. A scheduled event is a sweep of the
     * account as it is at that moment: repeated later in a story it legitimately acts on a changed account (a
     * second sweep), so the mixed story delivers it once and {@link #threeDeliveriesEndAsOne} covers its repeats.
     * Restore inputs (an operator's StartExecution, a request of its own each time) are left out of the mixed
     * story.
     */
    static boolean isEvent(SampleTargets.Target t) {
        var json = Stack.read(t.sample());
        return json.has("Records") || json.has("detail-type") && !"Scheduled Event".equals(json.path("detail-type").asText());
    }

    /** An operator's StartExecution input: a request of its own each time, covered by the per-sample test. */
    static boolean isRestoreInput(SampleTargets.Target t) {
        return t.sample().getFileName().toString().startsWith("restore-input");
    }

    private static boolean isRestore(Stack s, String logicalId) {
        return s.isStateMachine(logicalId) && String.valueOf(s.deployment.template().effectiveProperties(logicalId)
                .get("DefinitionUri")).endsWith("restore.asl.json");
    }

    private static boolean createdGroup(Stack.Outcome o) {
        return o.execution() != null && o.execution().statesEntered().contains("WaitForCreation");
    }
}

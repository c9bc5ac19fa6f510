package dev.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.core.lambda.JsonLogs;
import dev.cachekeeper.local.LocalDeployment;
import dev.cachekeeper.local.SampleTargets;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AWS misbehaving: every call to every simulated service (ElastiCache, SNS, EventBridge, DynamoDB, S3) is
 * throttled with probability 0.30 and otherwise fails with a 503 with probability 0.05 (seeded), and the
 * replication group {@value #INVALID} is stuck in status {@code modifying}. The story: every EventBridge and SNS
 * sample of events/ delivered to its targets, the scheduled sweeps, the four destroy requests to the safe-destroy
 * state machine and a restore of orders-cache's newest snapshot, in file order. What they cause on the bus and
 * the topics is delivered too.
 *
 * <p>Lambda's retry is played: a function invocation that ended in an error (delivered from a rule, a
 * subscription or a retry of those, not a state machine task, which the state machine retries itself) is
 * delivered again with the same event, up to 3 attempts in all. A state machine execution that failed under the
 * faults is started again with the same input (an operator re-sending it; Step Functions does not), up to 3
 * attempts.
 *
 * <p>It passes when:
 * <ol>
 *   <li>every handler error is a retryable AWS error (throttling, 5xx, or the function's own "AWS unavailable,
 *       retry me" exception that carries one), never a crash;</li>
 *   <li>for every cache but {@value #INVALID}, the world converges to the fault-free run's: the same snapshots
 *       (names, tags, status) and caches (status), and every alert of the fault-free run is there too; an alert
 *       the fault-free run did not have announces a failure (WARNING or CRITICAL, "failed" in its subject);</li>
 *   <li>{@value #INVALID}'s destroy request ends with an alert naming it, or a failed execution whose cause says
 *       it is not available;</li>
 *   <li>nothing is left unaccounted: every successful mutating ElastiCache call names its target (snapshot,
 *       group, cluster or serverless cache) in a record cachekeeper wrote: a log record of a function or an
 *       alert. A claim in the ledger that blocked a retry would show as a missing alert in (2).</li>
 * </ol>
 * Seeds: 11, 23, 42.
 */
class FaultInjectionTest {
    static final String INVALID = "sessions";
    static final double THROTTLE = 0.30;
    static final double SERVER_ERROR = 0.05;
    static final int ATTEMPTS = 3;
    static final Pattern RETRYABLE = Pattern.compile("(?i)throttl|ServiceUnavailable|TooManyRequests|RequestLimitExceeded"
            + "|ProvisionedThroughputExceeded|InternalFailure|InternalServerError|503|AwsUnavailableException"
            + "|IngestFailedException|rate exceeded|slow down");
    static final Set<String> NAMING_PARAMS = Set.of("SnapshotName", "TargetSnapshotName", "ReplicationGroupId",
            "CacheClusterId", "ServerlessCacheName", "ServerlessCacheSnapshotName", "TargetServerlessCacheSnapshotName");

    static Stack.State faultFree;
    static JsonLogs logs;

    static List<SampleTargets.Target> story() {
        return Stack.targets().stream().filter(t -> !t.logicalId().equals("RestoreStateMachine")
                || t.sample().getFileName().toString().equals("restore-input-latest.json")).toList();
    }

    @BeforeAll
    static void faultFreeRun() {
        logs = new JsonLogs();
        Stack s = stuckWorld();
        for (SampleTargets.Target t : story()) {
            s.deliver(t);
        }
        s.deployment.advance(Duration.ofHours(2));
        faultFree = s.state();
    }

    @AfterAll
    static void closeLogs() {
        logs.close();
    }

    static Stack stuckWorld() {
        Stack s = Stack.fresh();
        s.sim.elastiCache().setGroupStatus(INVALID, "modifying");
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 23, 42})
    void everythingCompletesOrFailsCleanlyAndConverges(long seed) {
        Stack s = stuckWorld();
        s.sim.faults().randomly(THROTTLE, SERVER_ERROR, seed);
        int logStart = logs.text().length();
        List<String> errors = new ArrayList<>();
        List<Stack.Outcome> executions = new ArrayList<>();
        for (SampleTargets.Target t : story()) {
            Stack.Outcome o = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                int invocationsBefore = s.deployment.invocations().size();
                o = s.deliver(t.logicalId(), Stack.read(t.sample()), t.sample().getFileName() + " attempt " + attempt);
                retryFailedInvocations(s, invocationsBefore, errors);
                if (o.execution() == null || !o.failed() || !RETRYABLE.matcher(o.error()).find()) {
                    break; // a function's own failure was retried above; a refused execution is final
                }
            }
            if (o.execution() != null) {
                executions.add(o);
            }
        }
        s.sim.faults().clear();
        s.deployment.advance(Duration.ofHours(2));
        String logged = logs.text().substring(logStart);
        System.out.println("FaultInjectionTest seed " + seed + ": " + s.calls().stream().filter(c -> !c.ok()).count()
                + " faulted calls of " + s.calls().size() + ", " + errors.size() + " handler errors, "
                + s.deployment.invocations().size() + " invocations");

        // 1. only retryable errors
        for (String e : errors) {
            assertTrue(RETRYABLE.matcher(e).find(), "seed " + seed + ": a handler failed with a non-retryable error: " + e);
        }
        // 2. convergence, the stuck cache aside
        Stack.State state = s.state();
        assertEquals(without(faultFree.snapshots()), without(state.snapshots()), "seed " + seed + ": snapshots");
        assertEquals(without(faultFree.caches()), without(state.caches()), "seed " + seed + ": caches");
        for (var alert : faultFree.alerts().entrySet()) {
            if (!alert.getKey().contains(INVALID)) {
                assertTrue(state.alerts().getOrDefault(alert.getKey(), 0) >= alert.getValue(), "seed " + seed
                        + ": alert missing after the retries: " + alert.getKey() + "\n" + faultFree.diff(state));
            }
        }
        for (PublishedMessage m : s.alerts()) {
            if (!faultFree.alerts().containsKey(Stack.alertKey(m))) {
                String severity = m.attributes().getOrDefault("severity", "");
                assertTrue(!severity.equals("INFO") && m.subject().toLowerCase(Locale.ROOT).contains("fail"),
                        "seed " + seed + ": an alert the fault-free run does not have: " + m.subject());
            }
        }
        // 3. the stuck cache
        boolean alerted = s.alerts().stream().anyMatch(m -> INVALID.equals(m.attributes().get("cache_id"))
                && m.subject().contains("failed"));
        boolean failedClearly = executions.stream().anyMatch(o -> o.failed() && o.error().contains(INVALID)
                && o.error().contains("modifying"));
        assertTrue(alerted || failedClearly, "seed " + seed + ": nothing says why " + INVALID + " was not handled");
        // 4. every change is recorded with its target
        String records = logged + "\n" + String.join("\n", s.alerts().stream().map(m -> m.subject() + "\n" + m.message())
                .toList());
        for (ApiCall c : s.calls()) {
            if (c.ok() && c.mutating() && c.service().equals("elasticache")) {
                List<String> names = c.keyParams().entrySet().stream()
                        .filter(e -> NAMING_PARAMS.contains(e.getKey()) && e.getValue() != null)
                        .map(Map.Entry::getValue).toList();
                assertFalse(names.isEmpty(), "a mutating call that names nothing: " + c);
                assertTrue(names.stream().anyMatch(records::contains), "seed " + seed + ": " + c.operation() + " "
                        + c.keyParams() + " is in no log record or alert");
            }
        }
    }

    /** Lambda's retry of asynchronous invocations: the failed ones delivered again, up to 3 attempts in all. */
    static void retryFailedInvocations(Stack s, int from, List<String> errors) {
        List<LocalDeployment.Invocation> all = s.deployment.invocations();
        for (LocalDeployment.Invocation i : List.copyOf(all.subList(from, all.size()))) {
            if (i.result().ok() || i.trigger().endsWith(" task") || i.trigger().startsWith("lambda:invoke")
                    || i.trigger().contains(" retry ")) {
                continue;
            }
            errors.add(i.functionId() + ": " + i.result().errorType() + ": " + i.result().errorMessage());
            for (int attempt = 2; attempt <= ATTEMPTS; attempt++) {
                int before = s.deployment.invocations().size();
                Stack.Outcome retry = s.deliver(i.functionId(), i.event(), i.trigger() + " retry " + attempt);
                List<LocalDeployment.Invocation> after = s.deployment.invocations();
                // what the retry caused downstream gets its own retries
                retryFailedInvocations(s, before + 1, errors);
                if (!retry.failed()) {
                    break;
                }
                errors.add(i.functionId() + ": " + retry.error());
                assertTrue(after.size() > before);
            }
        }
    }

    private static <V> SortedMap<String, V> without(SortedMap<String, V> m) {
        SortedMap<String, V> out = new TreeMap<>(m);
        out.keySet().removeIf(k -> k.contains(INVALID));
        return out;
    }
}

package dev.cachekeeper.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of one local execution.
 *
 * @param transitions   state transitions as AWS bills them: every state entered (in Parallel branches and Map
 *                      iterations too) plus one per retry of a state
 * @param statesEntered names in the order they were entered; a retry is not a new entry (see {@link #retries})
 * @param waited        simulated time spent in Wait states (each also passed to the wait listener)
 * @param retryDelay    simulated back-off before retries (IntervalSeconds x BackoffRate^n, capped, no jitter)
 * @param problems      things a developer must fix that the execution itself may hide (a Task without a handler,
 *                      a handler that threw an unexpected exception, a harness-level failure)
 * @param history       the interpreter's event log, abridged: [{type, state?, error?, attempt?}]
 */
public record ExecutionResult(
        Status status,
        JsonNode output,
        String error,
        String cause,
        int transitions,
        List<String> statesEntered,
        List<Retry> retries,
        Duration waited,
        Duration retryDelay,
        List<TaskCall> taskCalls,
        List<String> problems,
        JsonNode history) {

    public enum Status { SUCCEEDED, FAILED, TIMED_OUT }

    /** One retry of a state: which attempt (1 = first retry), the error that caused it, the delay AWS would apply. */
    public record Retry(String state, int attempt, String error, Duration delay) {
    }

    /** One call of a Task handler: output on success, error and cause on failure. */
    public record TaskCall(String state, String resource, JsonNode input, JsonNode output, String error, String cause) {
        public boolean failed() {
            return error != null;
        }
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** How many times the named state was entered (retries not included). */
    public long timesEntered(String state) {
        return statesEntered.stream().filter(state::equals).count();
    }

    /** The task calls made for one state, in order. */
    public List<TaskCall> callsOf(String state) {
        return taskCalls.stream().filter(c -> c.state().equals(state)).toList();
    }
}

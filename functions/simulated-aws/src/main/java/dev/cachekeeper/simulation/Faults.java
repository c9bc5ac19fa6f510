package dev.cachekeeper.simulation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Injected failures, checked before each simulated call runs (a failed call changes nothing).
 *
 * <p>An operation is named as in the API ({@code CreateSnapshot}), or with its service for operations that exist in
 * several services ({@code elasticache:CreateSnapshot}, {@code sns:Publish}). Scripted faults ("the next N calls")
 * are used up in order before random ones are drawn.
 */
public final class Faults {
    private final Map<String, Deque<Function<ServiceErrors, RuntimeException>>> scripted = new HashMap<>();
    private Random random;
    private double throttleRate;
    private double serverErrorRate;
    private Set<String> randomOperations = Set.of();

    /** The next {@code times} calls of {@code operation} are throttled (the service's throttling code). */
    public synchronized Faults throttle(String operation, int times) {
        return add(operation, times, errors -> errors.throttling(operation));
    }

    /** The next {@code times} calls fail with the given AWS error code, as the service's modelled exception. */
    public synchronized Faults fail(String operation, int times, String errorCode) {
        return add(operation, times, errors -> errors.error(errorCode, "Injected fault " + errorCode + " for " + operation));
    }

    /** The next {@code times} calls fail with the given AWS error code, message and HTTP status. */
    public synchronized Faults fail(String operation, int times, String errorCode, String message, int status) {
        return add(operation, times, errors -> errors.error(errorCode, message, status));
    }

    /** The next {@code times} calls throw what {@code exception} supplies (any exception, SDK or not). */
    public synchronized Faults fail(String operation, int times, Supplier<? extends RuntimeException> exception) {
        return add(operation, times, errors -> exception.get());
    }

    /** The next {@code times} calls fail with a 503 ServiceUnavailable. */
    public synchronized Faults serverError(String operation, int times) {
        return add(operation, times, errors -> errors.serverError(operation));
    }

    /**
     * From now on each call (of the given operations, or of all when none are given) is throttled with probability
     * {@code throttleRate}, else fails with a 503 with probability {@code serverErrorRate}; reproducible per seed.
     */
    public synchronized Faults randomly(double throttleRate, double serverErrorRate, long seed, String... operations) {
        this.random = new Random(seed);
        this.throttleRate = throttleRate;
        this.serverErrorRate = serverErrorRate;
        this.randomOperations = Set.of(operations);
        return this;
    }

    public synchronized Faults clear() {
        scripted.clear();
        random = null;
        return this;
    }

    private Faults add(String operation, int times, Function<ServiceErrors, RuntimeException> fault) {
        Deque<Function<ServiceErrors, RuntimeException>> q = scripted.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(fault);
        }
        return this;
    }

    /** The fault for this call, if any; consumes a scripted one. */
    synchronized RuntimeException next(String service, String operation, ServiceErrors errors) {
        for (String key : new String[]{service + ":" + operation, operation}) {
            Deque<Function<ServiceErrors, RuntimeException>> q = scripted.get(key);
            if (q != null && !q.isEmpty()) {
                return q.poll().apply(errors);
            }
        }
        if (random != null && (randomOperations.isEmpty() || randomOperations.contains(operation)
                || randomOperations.contains(service + ":" + operation))) {
            double r = random.nextDouble();
            if (r < throttleRate) {
                return errors.throttling(operation);
            }
            if (r < throttleRate + serverErrorRate) {
                return errors.serverError(operation);
            }
        }
        return null;
    }
}

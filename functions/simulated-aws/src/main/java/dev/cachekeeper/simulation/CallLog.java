package dev.cachekeeper.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Every call made on every simulated service, in the order they were made. Thread-safe. */
public final class CallLog {
    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();

    void record(ApiCall call) {
        calls.add(call);
    }

    public List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    /** Calls grouped by operation name, each list in call order. */
    public Map<String, List<ApiCall>> byOperation() {
        return calls.stream().collect(Collectors.groupingBy(ApiCall::operation, LinkedHashMap::new,
                Collectors.toCollection(ArrayList::new)));
    }

    public List<ApiCall> of(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    public List<ApiCall> mutating() {
        return calls.stream().filter(ApiCall::mutating).toList();
    }

    public void clear() {
        calls.clear();
    }
}

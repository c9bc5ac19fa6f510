package dev.cachekeeper.simulation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The one way into a simulated service: optional latency, injected faults, the account lock, and a call-log entry
 * with the outcome. Each simulated client owns one.
 */
final class Gate {
    private final SimulatedAws aws;
    private final String service;
    private final ServiceErrors errors;

    Gate(SimulatedAws aws, String service, ServiceErrors errors) {
        this.aws = aws;
        this.service = service;
        this.errors = errors;
    }

    ServiceErrors errors() {
        return errors;
    }

    <T> T call(String operation, boolean mutating, Map<String, String> params, Supplier<T> body) {
        aws.simulateLatency();
        return aws.locked(() -> {
            RuntimeException fault = aws.faults().next(service, operation, errors);
            if (fault != null) {
                record(operation, mutating, params, outcomeOf(fault));
                throw fault;
            }
            try {
                T result = body.get();
                record(operation, mutating, params, "ok");
                return result;
            } catch (RuntimeException e) {
                record(operation, mutating, params, outcomeOf(e));
                throw e;
            }
        });
    }

    private static String outcomeOf(RuntimeException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && ase.awsErrorDetails().errorCode() != null) {
            return ase.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    private void record(String operation, boolean mutating, Map<String, String> params, String outcome) {
        aws.callLog().record(new ApiCall(service, operation, params, mutating, outcome, aws.clock().now()));
    }

    /** Key parameters as alternating names and values; null values are left out. */
    static Map<String, String> params(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put(String.valueOf(kv[i]), String.valueOf(kv[i + 1]));
            }
        }
        return Collections.unmodifiableMap(m);
    }
}

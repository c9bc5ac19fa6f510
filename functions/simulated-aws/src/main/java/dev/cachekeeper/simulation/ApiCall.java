package dev.cachekeeper.simulation;

import java.time.Instant;
import java.util.Map;

/**
 * One operation called on a simulated service.
 *
 * @param service    the service's short name, as in IAM actions: {@code elasticache}, {@code sns}, {@code events},
 *                   {@code dynamodb}, {@code s3}, {@code secretsmanager}, {@code states}
 * @param operation  the API operation name, e.g. {@code CreateSnapshot}
 * @param keyParams  the request parameters that identify what was acted on (PascalCase, as in the API)
 * @param mutating   whether the operation changes state (a dry run must record none of these)
 * @param outcome    {@code ok}, or the AWS error code that was returned
 * @param at         the simulated time of the call
 */
public record ApiCall(String service, String operation, Map<String, String> keyParams, boolean mutating,
                      String outcome, Instant at) {
    public boolean ok() {
        return "ok".equals(outcome);
    }

    public String param(String name) {
        return keyParams.get(name);
    }
}

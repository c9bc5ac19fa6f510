package dev.cachekeeper.simulation;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Builds the exceptions one service's SDK client throws: the modelled subclass for a known error code (so
 * {@code catch (SnapshotAlreadyExistsException e)} works), else the service's base exception, always with the AWS
 * error code, message and HTTP status in {@code awsErrorDetails()} as the real client fills them.
 */
final class ServiceErrors {
    /** Error codes the SDK does not model per service but callers test for; all server-side, hence 5xx. */
    private static final Map<String, Integer> SERVER_CODES = Map.of(
            "InternalFailure", 500, "InternalError", 500, "InternalServerError", 500,
            "ServiceUnavailable", 503, "InternalException", 500, "InternalServiceError", 500);

    record Modelled(int status, Supplier<? extends AwsServiceException.Builder> builder) {
    }

    private final String serviceName;
    private final Supplier<? extends AwsServiceException.Builder> base;
    private final Map<String, Modelled> modelled;
    private final String throttleCode;
    private final int throttleStatus;

    ServiceErrors(String serviceName, Supplier<? extends AwsServiceException.Builder> base,
                  Map<String, Modelled> modelled, String throttleCode, int throttleStatus) {
        this.serviceName = serviceName;
        this.base = base;
        this.modelled = modelled;
        this.throttleCode = throttleCode;
        this.throttleStatus = throttleStatus;
    }

    String serviceName() {
        return serviceName;
    }

    Set<String> knownCodes() {
        return modelled.keySet();
    }

    AwsServiceException error(String code, String message) {
        Modelled m = modelled.get(code);
        int status = m != null ? m.status() : SERVER_CODES.getOrDefault(code, 400);
        return error(code, message, status);
    }

    AwsServiceException error(String code, String message, int status) {
        Modelled m = modelled.get(code);
        AwsServiceException.Builder b = m != null ? m.builder().get() : base.get();
        String requestId = UUID.randomUUID().toString();
        return b.message(message + " (Service: " + serviceName + ", Status Code: " + status + ", Request ID: "
                        + requestId + ")")
                .statusCode(status)
                .requestId(requestId)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .serviceName(serviceName)
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build())
                        .build())
                .build();
    }

    /** What the service answers when the caller exceeds its request rate; {@code isThrottlingException()} holds. */
    AwsServiceException throttling(String operation) {
        return error(throttleCode, "Rate exceeded", throttleStatus);
    }

    AwsServiceException serverError(String operation) {
        return error("ServiceUnavailable", "Service is unavailable. Please try again later.", 503);
    }
}

package dev.cachekeeper.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Records every AWS call made through the SDK in this process, for {@code invoke --aws}'s report. Installed on
 * every client by the SDK itself (listed in {@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * of the runner's jar); it only looks, never changes a request.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {
    /** One call: the request as sent (for events and alerts) and its outcome. */
    public record Call(String service, String operation, Map<String, String> params, String outcome, SdkRequest request) {
    }

    private static final List<Call> CALLS = new ArrayList<>();

    public static synchronized List<Call> calls() {
        return List.copyOf(CALLS);
    }

    public static synchronized void clear() {
        CALLS.clear();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), attributes, "ok");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable e = context.exception();
        String outcome = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase
                && ase.awsErrorDetails() != null && ase.awsErrorDetails().errorCode() != null
                ? ase.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        record(context.request(), attributes, outcome);
    }

    private static void record(SdkRequest request, ExecutionAttributes attributes, String outcome) {
        String service = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        String operation = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        synchronized (AwsCallRecorder.class) {
            CALLS.add(new Call(service, operation, keyParams(request), outcome, request));
        }
    }

    /** The scalar parameters that say what was acted on; message bodies and entries are reported elsewhere. */
    static Map<String, String> keyParams(SdkRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        if (request instanceof PublishRequest || request instanceof PutEventsRequest) {
            if (request instanceof PublishRequest p) {
                params.put("TopicArn", p.topicArn());
            } else {
                params.put("Entries", String.valueOf(((PutEventsRequest) request).entries().size()));
            }
            return params;
        }
        for (SdkField<?> f : request.sdkFields()) {
            Object v = f.getValueOrDefault(request);
            if (v instanceof String || v instanceof Boolean || v instanceof Number) {
                params.put(f.locationName(), String.valueOf(v));
            }
        }
        return params;
    }

}

package dev.cachekeeper.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

/**
 * Task handlers for Step Functions' AWS SDK integrations ({@code arn:aws:states:::aws-sdk:<service>:<operation>}),
 * backed by an SDK v2 client (a real one, a simulation, or a test fake): PascalCase parameters become the request,
 * the response comes back as PascalCase JSON, a service error becomes {@code <Service>.<Code>Exception}.
 */
public final class SdkIntegration {

    /**
     * How a service error is named. Step Functions documents {@code ServiceName.ErrorName} with an {@code Exception}
     * suffix always added; whether ElastiCache's {@code Fault} part survives is unconfirmed (aws-notes.md), and
     * ElastiCache's own codes are mixed ({@code ReplicationGroupAlreadyExists}, {@code SnapshotAlreadyExistsFault}).
     */
    public enum ErrorNaming {
        /** The error code as the service returned it, plus Exception: {@code ElastiCache.SnapshotAlreadyExistsFaultException}. */
        AS_RETURNED,
        /** Fault always present: {@code ElastiCache.ReplicationGroupAlreadyExistsFaultException}. */
        FAULT_KEPT,
        /** Fault always dropped (the SDK v2 class name): {@code ElastiCache.SnapshotAlreadyExistsException}. */
        FAULT_DROPPED,
        /** No specific name at all: every service error is {@code States.TaskFailed}, to test the fallbacks. */
        TASK_FAILED_ONLY;

        public String errorName(String service, String code) {
            String base = code.endsWith("Fault") ? code.substring(0, code.length() - "Fault".length()) : code;
            return switch (this) {
                case AS_RETURNED -> service + "." + withException(code);
                case FAULT_KEPT -> service + "." + (code.endsWith("Exception") ? code : base + "FaultException");
                case FAULT_DROPPED -> service + "." + withException(base);
                case TASK_FAILED_ONLY -> "States.TaskFailed";
            };
        }

        private static String withException(String code) {
            return code.endsWith("Exception") ? code : code + "Exception";
        }
    }

    private SdkIntegration() {
    }

    /** Handlers for every ElastiCache operation, errors named {@link ErrorNaming#AS_RETURNED}. */
    public static Map<String, TaskHandler> elastiCache(ElastiCacheClient client) {
        return elastiCache(client, ErrorNaming.AS_RETURNED);
    }

    public static Map<String, TaskHandler> elastiCache(ElastiCacheClient client, ErrorNaming naming) {
        return forClient("elasticache", "ElastiCache", ElastiCacheClient.class, client, naming);
    }

    /**
     * Handlers for every operation of a synchronous SDK v2 client interface, keyed by
     * {@code arn:aws:states:::aws-sdk:<arnService>:<operation>}.
     *
     * @param arnService  the service as written in the resource ARN (lower case, e.g. {@code elasticache})
     * @param errorPrefix the service as written in error names (e.g. {@code ElastiCache})
     */
    public static <C> Map<String, TaskHandler> forClient(String arnService, String errorPrefix, Class<C> clientInterface,
                                                         C client, ErrorNaming naming) {
        Map<String, TaskHandler> handlers = new TreeMap<>();
        for (Method method : clientInterface.getMethods()) {
            // The request-object overload only (not Consumer<Builder>, not paginators or waiters).
            if (method.getParameterCount() == 1
                    && SdkRequest.class.isAssignableFrom(method.getParameterTypes()[0])
                    && SdkResponse.class.isAssignableFrom(method.getReturnType())) {
                String resource = "arn:aws:states:::aws-sdk:" + arnService + ":" + method.getName();
                handlers.put(resource, input -> invoke(client, method, input, errorPrefix, naming));
            }
        }
        return handlers;
    }

    private static JsonNode invoke(Object client, Method method, JsonNode input, String errorPrefix, ErrorNaming naming)
            throws TaskFailure {
        @SuppressWarnings("unchecked")
        Class<? extends SdkPojo> requestType = (Class<? extends SdkPojo>) method.getParameterTypes()[0];
        SdkPojo request;
        try {
            JsonNode parameters = input == null || input.isNull() ? JsonNodeFactory.instance.objectNode() : input;
            request = SdkJson.toModel(parameters, requestType);
        } catch (IllegalArgumentException e) {
            // AWS rejects such a definition when it is created; here it stops the execution (not catchable).
            throw new HarnessException("the parameters of " + method.getName() + " do not fit "
                    + requestType.getSimpleName() + ": " + e.getMessage(), e);
        }
        Object response;
        try {
            response = method.invoke(client, request);
        } catch (IllegalAccessException e) {
            throw new HarnessException("cannot call " + method, e);
        } catch (InvocationTargetException e) {
            throw translate(SdkJson.unwrap(e), method.getName(), errorPrefix, naming);
        }
        return SdkJson.toJson((SdkPojo) response);
    }

    private static TaskFailure translate(RuntimeException e, String operation, String errorPrefix, ErrorNaming naming) {
        if (e instanceof AwsServiceException service) {
            return new TaskFailure(naming.errorName(errorPrefix, errorCode(service)), service.getMessage());
        }
        if (e instanceof UnsupportedOperationException) {
            // The SDK interface's default methods throw this: the fake or simulated client lacks the operation.
            throw new HarnessException("the client does not implement " + operation + ": " + e.getMessage(), e);
        }
        if (e instanceof SdkException) {
            return new TaskFailure("States.TaskFailed", e.getMessage());
        }
        throw e;
    }

    /** The service's error code; without one (a hand-built exception), the class name minus {@code Exception}. */
    static String errorCode(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null && !e.awsErrorDetails().errorCode().isBlank()) {
            return e.awsErrorDetails().errorCode();
        }
        String name = e.getClass().getSimpleName();
        return name.endsWith("Exception") && name.length() > "Exception".length()
                ? name.substring(0, name.length() - "Exception".length()) : name;
    }
}

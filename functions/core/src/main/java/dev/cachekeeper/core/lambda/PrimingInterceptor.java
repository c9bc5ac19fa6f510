package dev.cachekeeper.core.lambda;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Installed on every SDK client cachekeeper builds. Outside priming it does nothing. During priming it lets the
 * request be marshalled and signed (the expensive first-time work) and then stops it before transmission.
 */
public final class PrimingInterceptor implements ExecutionInterceptor {
    private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);
    private static volatile int stopped;

    /** Thrown instead of sending a request while priming. */
    public static final class PrimingStop extends RuntimeException {
        PrimingStop(String operation) {
            super("priming: " + operation + " not sent", null, false, false);
        }
    }

    static void during(Runnable work) {
        ACTIVE.set(true);
        try {
            work.run();
        } finally {
            ACTIVE.remove();
        }
    }

    public static boolean active() {
        return ACTIVE.get();
    }

    /** Requests stopped so far (tests check priming reached the SDK and sent nothing). */
    public static int stopped() {
        return stopped;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        if (ACTIVE.get()) {
            stopped++;
            throw new PrimingStop(context.httpRequest().getUri().getHost());
        }
    }
}

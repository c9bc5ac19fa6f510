package dev.cachekeeper.core.lambda;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Installed on every SDK client cachekeeper builds. Outside priming it does nothing. During priming it lets the
 * request be marshalled and signed (the expensive first-time work) and then stops it before transmission.
 */
public final class PrimingInterceptor implements ExecutionInterceptor {
    /**
     * Process-wide, not per thread: services fan work out to worker threads (the archiver's sweep), and a request
     * from any thread must be stopped while priming. Priming runs during init, when no real event is in flight.
     */
    private static volatile boolean active;
    private static volatile int stopped;

    /** Thrown instead of sending a request while priming. */
    public static final class PrimingStop extends RuntimeException {
        PrimingStop(String operation) {
            super("priming: " + operation + " not sent", null, false, false);
        }
    }

    static synchronized void during(Runnable work) {
        active = true;
        try {
            work.run();
        } finally {
            active = false;
        }
    }

    public static boolean active() {
        return active;
    }

    /** Requests stopped so far (tests check priming reached the SDK and sent nothing). */
    public static int stopped() {
        return stopped;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        if (active) {
            stopped++;
            throw new PrimingStop(context.httpRequest().getUri().getHost());
        }
    }
}

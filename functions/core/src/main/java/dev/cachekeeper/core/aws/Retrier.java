package dev.cachekeeper.core.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import dev.cachekeeper.core.lambda.PrimingInterceptor;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Retries an AWS call on throttling, 5xx and transport errors with full-jitter exponential back-off, bounded in
 * attempts and in total time. The SDK retries a few times on its own; this outer layer lets a sweep ride out a
 * longer throttling spell without one cache's trouble stopping the rest.
 */
public final class Retrier {
    /** Sleeping is pluggable so tests on the simulation advance a clock instead of waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        /** Waits for real, except while priming: its answers are made up, and waiting would change none of them. */
        Sleeper REAL = d -> {
            if (!PrimingInterceptor.active()) {
                Thread.sleep(d.toMillis());
            }
        };
    }

    private final Clock clock;
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final Duration maxTotal;

    public Retrier(Clock clock, Sleeper sleeper, int maxAttempts, Duration base, Duration cap, Duration maxTotal) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.maxTotal = maxTotal;
    }

    /** 6 attempts, 200 ms doubling up to 5 s, at most 20 s in all: fits well inside a Lambda's minute. */
    public static Retrier standard(Clock clock, Sleeper sleeper) {
        return new Retrier(clock, sleeper, 6, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    public <T> T call(Supplier<T> call) {
        Instant deadline = clock.instant().plus(maxTotal);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                // While priming, a failure is a request stopped on purpose: trying again would only slow init.
                if (!isRetryable(e) || PrimingInterceptor.active()) {
                    throw e;
                }
                last = e;
                if (attempt == maxAttempts) {
                    break;
                }
                Duration wait = backoff(attempt);
                if (clock.instant().plus(wait).isAfter(deadline)) {
                    break;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    Duration backoff(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << Math.min(attempt - 1, 20)));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** Throttling, server-side (5xx) and transport failures are worth another try; anything else is final. */
    public static boolean isRetryable(Throwable e) {
        if (e instanceof AwsServiceException ase) {
            return ase.isThrottlingException() || ase.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    /** The AWS error code of a service exception, or its class name; for records and alerts. */
    public static String errorCode(Throwable e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && ase.awsErrorDetails().errorCode() != null) {
            return ase.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}

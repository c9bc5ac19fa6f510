package dev.cachekeeper.destroy;

/**
 * AWS kept throttling or failing after the function's own retries. The state machine retries Tasks that fail with
 * this error (by its class name, which is how Step Functions sees a Java Lambda's exception), and nothing else.
 */
public final class AwsUnavailableException extends RuntimeException {
    public AwsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.cachekeeper.statemachine;

/**
 * A Task failing with a named error, as Step Functions reports it: {@code error} is what Retry and Catch match
 * ({@code ElastiCache.SnapshotAlreadyExistsFaultException}, a custom name, ...), {@code cause} the human text.
 */
public class TaskFailure extends Exception {
    private final String error;
    private final String cause;

    public TaskFailure(String error, String cause) {
        super(error + ": " + cause);
        this.error = error;
        this.cause = cause;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}

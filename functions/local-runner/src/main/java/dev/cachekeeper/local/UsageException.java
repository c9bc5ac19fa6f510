package dev.cachekeeper.local;

/** A problem the user can fix (bad arguments, a missing or unreadable file): one line on stderr and an exit code. */
public final class UsageException extends RuntimeException {
    private final int exitCode;

    public UsageException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public UsageException(String message) {
        this(message, 2);
    }

    public int exitCode() {
        return exitCode;
    }
}

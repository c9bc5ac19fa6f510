package dev.cachekeeper.restore;

/**
 * The input is well-formed but the restore must not go ahead as asked (snapshot not available, target id taken,
 * engine version lower than the snapshot's, ...); nothing was created.
 */
public final class RestoreRefusedException extends RuntimeException {
    public RestoreRefusedException(String message) {
        super(message);
    }
}

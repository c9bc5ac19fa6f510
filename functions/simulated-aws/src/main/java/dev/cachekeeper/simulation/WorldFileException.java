package dev.cachekeeper.simulation;

/** A world file that cannot be loaded; the message names the entry and field that is wrong. */
public final class WorldFileException extends IllegalArgumentException {
    public WorldFileException(String message) {
        super(message);
    }

    public WorldFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

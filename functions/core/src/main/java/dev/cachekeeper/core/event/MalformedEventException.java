package dev.cachekeeper.core.event;

/**
 * Input we cannot act on. Handlers log it with the reason and acknowledge the event (no retry storm): a bad
 * message never becomes an outage.
 */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }
}

package dev.cachekeeper.statemachine;

/** The harness itself could not run an execution: node or node_modules missing, timeout, a crash. */
public class HarnessException extends RuntimeException {
    public HarnessException(String message) {
        super(message);
    }

    public HarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}

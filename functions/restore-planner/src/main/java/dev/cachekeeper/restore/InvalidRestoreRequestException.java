package dev.cachekeeper.restore;

import java.util.List;

/**
 * The execution input cannot be acted on; nothing was created. The message lists every problem, each naming its
 * field. Step Functions sees the class name as the error.
 */
public final class InvalidRestoreRequestException extends RuntimeException {
    private final List<String> problems;

    public InvalidRestoreRequestException(List<String> problems) {
        super("invalid restore input: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

package dev.cachekeeper.statemachine;

import java.util.List;

/** The definition was rejected before running (asl-validator, the interpreter, or an unresolved placeholder). */
public class InvalidDefinitionException extends RuntimeException {
    private final List<String> errors;

    public InvalidDefinitionException(String definition, List<String> errors) {
        super("invalid state machine definition " + definition + ":\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}

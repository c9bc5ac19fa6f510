package dev.cachekeeper.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

/** The Java code behind one Task resource: gets the state's effective input, returns its raw result. */
@FunctionalInterface
public interface TaskHandler {
    JsonNode handle(JsonNode input) throws TaskFailure;
}

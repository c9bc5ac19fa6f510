package dev.cachekeeper.core.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Sample events for priming warm-ups. Each function module packages one of the repository's {@code events/}
 * samples under {@code priming/} (the {@code priming.event} property of its pom), so the warm-up runs on the same
 * shape the tests and the contract check use.
 */
public final class PrimingEvents {
    private PrimingEvents() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = PrimingEvents.class.getClassLoader().getResourceAsStream("priming/" + name)) {
            if (in == null) {
                throw new IllegalStateException("priming/" + name + " is not packaged: set <priming.event> in the "
                        + "module's pom");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

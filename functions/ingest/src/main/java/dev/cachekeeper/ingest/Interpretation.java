package dev.cachekeeper.ingest;

import java.util.List;

/**
 * What a parser made of one input. Malformed input is not an interpretation: parsers throw
 * {@link dev.cachekeeper.core.event.MalformedEventException} for it.
 */
public sealed interface Interpretation {

    /** Events to publish (after de-duplication). */
    record Publish(List<Normalized> events) implements Interpretation {
        public Publish {
            events = List.copyOf(events);
        }

        public static Publish of(Normalized n) {
            return new Publish(List.of(n));
        }
    }

    /**
     * An event we know and deliberately do not publish (e.g. {@code ElastiCache:CacheNodeReplaceStarted}): logged at
     * info, so it is visible but never mistaken for a parsing problem.
     */
    record Recognised(String sourceEvent, String cacheId, String why) implements Interpretation {
    }

    /** Well-formed input whose event we do not know: a new AWS event name or wording. Logged with the raw input. */
    record Unknown(String reason) implements Interpretation {
    }
}

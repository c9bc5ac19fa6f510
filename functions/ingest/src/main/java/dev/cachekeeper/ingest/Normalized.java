package dev.cachekeeper.ingest;

import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.DetailTypes;

/** One event ready for the bus: its detail-type (one of {@link DetailTypes}) and its normalized detail. */
public record Normalized(String detailType, CacheEvent event) {
    public Normalized {
        if (!DetailTypes.ALL.contains(detailType)) {
            throw new IllegalArgumentException("not a cachekeeper detail-type: " + detailType);
        }
    }
}

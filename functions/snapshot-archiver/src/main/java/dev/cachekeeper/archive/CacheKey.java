package dev.cachekeeper.archive;

import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.snapshot.CacheSnapshot;

/** A cache, whatever its kind: what the sweep groups snapshots by, and finds tags and existence by. */
public record CacheKey(CacheKind kind, String id) {

    /** The cache this snapshot was taken of. */
    static CacheKey of(CacheSnapshot s) {
        return new CacheKey(s.cacheKind(), s.cacheId());
    }

    @Override
    public String toString() {
        return kind.wireName() + "/" + id;
    }
}

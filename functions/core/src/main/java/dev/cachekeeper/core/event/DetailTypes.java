package dev.cachekeeper.core.event;

import java.util.List;

/** The detail-types cachekeeper puts on its bus (source {@value #SOURCE}). Each is documented in the README. */
public final class DetailTypes {
    public static final String SOURCE = "cachekeeper";
    /**
     * The source of requests people and pipelines send ({@code Cache Destroy Requested}). Distinct from
     * {@link #SOURCE} so an IAM policy can let requesters put only requests ({@code events:source} condition), never
     * forge cachekeeper's own events.
     */
    public static final String REQUEST_SOURCE = "cachekeeper.request";

    public static final String FAILOVER_STARTED = "Failover Started";
    public static final String FAILOVER_COMPLETED = "Failover Completed";
    public static final String SNAPSHOT_COMPLETED = "Snapshot Completed";
    public static final String SNAPSHOT_FAILED = "Snapshot Failed";
    public static final String CACHE_DELETED = "Cache Deleted";
    /** A delete API call seen in CloudTrail; carries whether a final snapshot was asked for. */
    public static final String CACHE_DELETE_CALLED = "Cache Delete Called";
    /** The one event users send themselves, to start the safe-destroy flow. */
    public static final String CACHE_DESTROY_REQUESTED = "Cache Destroy Requested";

    public static final List<String> ALL = List.of(FAILOVER_STARTED, FAILOVER_COMPLETED, SNAPSHOT_COMPLETED,
            SNAPSHOT_FAILED, CACHE_DELETED, CACHE_DELETE_CALLED, CACHE_DESTROY_REQUESTED);

    private DetailTypes() {
    }
}

package dev.cachekeeper.simulation;

/** The two shapes of ElastiCache SNS message bodies seen in the wild (aws-notes.md: accept both). */
public enum NotificationShape {
    /** {@code {"ElastiCache:FailoverComplete": "my-rg", "Cache Cluster ID": "my-rg-0001-001"}} */
    KEYED,
    /** {@code {"Date": "...", "Message": "...", "SourceIdentifier": "...", "SourceType": "cache-cluster"}} */
    EVENT
}

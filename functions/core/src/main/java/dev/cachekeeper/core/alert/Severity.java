package dev.cachekeeper.core.alert;

/** How urgent an alert is; subscribers filter on it with an SNS filter policy. */
public enum Severity {
    INFO, WARNING, CRITICAL
}

package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda JSON layout writes a record whose entries are not plain strings or numbers (an enum, a list, an
 * Instant): Powertools serialises those through a mapper that needs JMESPath on the classpath, and without it the
 * whole record was dropped (an appender error instead of the decision's log line).
 */
class LoggingDependenciesTest {
    enum Verdict { NOTHING_RECOVERABLE }

    private static final Logger LOG = LoggerFactory.getLogger(LoggingDependenciesTest.class);

    @Test
    void recordsWithObjectEntriesAreWrittenInTheLambdaLayout() {
        String json;
        try (JsonLogs logs = new JsonLogs()) {
            LOG.info("delete audited", entry("verdict", Verdict.NOTHING_RECOVERABLE),
                    entry("caches", List.of("orders-cache")), entry("at", Instant.parse("2026-11-21T10:00:00Z")));
            json = logs.text();
        }
        assertTrue(json.contains("\"verdict\":\"NOTHING_RECOVERABLE\""), json);
        assertTrue(json.contains("orders-cache"), json);
    }
}

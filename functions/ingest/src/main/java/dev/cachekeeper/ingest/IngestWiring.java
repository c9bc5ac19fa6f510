package dev.cachekeeper.ingest;

import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.EventBusPublisher;
import java.time.Clock;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.lambda.powertools.metrics.Metrics;

/** How the ingest services fit together; used by the Dagger module, tests and the local runner alike. */
public final class IngestWiring {
    private IngestWiring() {
    }

    public static IngestDispatcher dispatcher(ElastiCacheClient elastiCache, EventLedger ledger,
                                              EventBusPublisher publisher, IngestConfig config, Clock clock,
                                              Retrier retrier, Metrics metrics) {
        IngestService service = new IngestService(ledger, publisher, config, metrics);
        NoticeInterpreter interpreter = new NoticeInterpreter(new CacheResolver(elastiCache, retrier));
        DescribeEventsSweep sweep = new DescribeEventsSweep(elastiCache, ledger, service, interpreter, config, clock,
                retrier, metrics);
        return new IngestDispatcher(service, interpreter, new ServerlessEventParser(interpreter),
                new CloudTrailCallParser(), sweep);
    }
}

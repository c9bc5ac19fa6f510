package dev.cachekeeper.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Origin;
import java.util.Map;
import java.util.Set;

/**
 * The events serverless caches put on the default bus themselves (source {@code aws.elasticache}). Three of the ten
 * detail-types become cachekeeper events; the rest are recognised and not published.
 */
public final class ServerlessEventParser {
    /** Native detail-type to ours. */
    static final Map<String, String> PUBLISHED = Map.of(
            "Snapshot Created", DetailTypes.SNAPSHOT_COMPLETED,
            "Snapshot Creation Failed", DetailTypes.SNAPSHOT_FAILED,
            "Cache Deleted", DetailTypes.CACHE_DELETED);
    static final Set<String> NOT_PUBLISHED = Set.of("Cache Created", "Cache Creation Failed", "Cache Updated",
            "Cache Update Failed", "Cache Limit Approaching", "Snapshot Export Failed", "Snapshot Copy Failed");

    private final NoticeInterpreter interpreter;

    public ServerlessEventParser(NoticeInterpreter interpreter) {
        this.interpreter = interpreter;
    }

    public Interpretation parse(BusEvent e) {
        JsonNode d = e.detail();
        if (d == null || !d.isObject()) {
            throw new MalformedEventException("detail must be a JSON object");
        }
        String sourceId = Times.text(d, "SourceIdentifier");
        String sourceType = Times.text(d, "SourceType");
        String arn = Times.text(d, "SourceArn");
        if (sourceId == null && arn != null) {
            // arn:aws:elasticache:region:account:serverlesscache:name
            String[] parts = arn.split(":");
            if (parts.length == 7) {
                sourceId = parts[6];
                sourceType = sourceType != null ? sourceType
                        : parts[5].equals("serverlesscachesnapshot") ? "serverless-cache-snapshot" : "serverless-cache";
            }
        }
        String ours = PUBLISHED.get(e.detailType());
        if (ours == null) {
            return NOT_PUBLISHED.contains(e.detailType())
                    ? new Interpretation.Recognised(e.detailType(), sourceId, "no cachekeeper event for it")
                    : new Interpretation.Unknown("unknown serverless detail-type '" + e.detailType() + "'");
        }
        if (sourceId == null) {
            throw new MalformedEventException("detail.SourceIdentifier (or SourceArn) is required");
        }
        if (e.time() == null) {
            throw new MalformedEventException("the event has no time");
        }
        Notice n = new Notice(null, sourceType == null ? "serverless-cache" : sourceType, sourceId, null,
                Times.text(d, "Message"), e.time(), Origin.EVENTBRIDGE);
        NoticeInterpreter.id("SourceIdentifier", sourceId);
        return interpreter.serverless(n, ours, e.detailType());
    }
}

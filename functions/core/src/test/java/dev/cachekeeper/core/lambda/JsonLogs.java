package dev.cachekeeper.core.lambda;

import java.io.StringWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;

/**
 * Everything the functions log, in the layout Lambda writes to CloudWatch (Powertools' JSON, with every
 * {@code entry(...)} as a field): what an operator would search when something was refused. Core's tests use it
 * and, through core's test jar, the reliability tests.
 */
public final class JsonLogs implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;

    public JsonLogs() {
        context = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("json-logs-" + System.nanoTime()).setTarget(out)
                .setLayout(JsonTemplateLayout.newBuilder().setConfiguration(context.getConfiguration())
                        .setEventTemplateUri("classpath:LambdaJsonLayout.json").build())
                .build();
        appender.start();
        context.getConfiguration().getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    public synchronized String text() {
        return out.toString();
    }

    /**
     * Stops capturing. Fails if a field was dropped: Powertools refuses a structured argument named like one of its
     * own fields ({@code error}, {@code message}, {@code level}, {@code service}...) and logs this warning instead,
     * so what the code meant to tell an operator would be missing from the record.
     */
    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
        text().lines().filter(l -> l.contains("Attempted to use reserved key")).findFirst().ifPresent(l -> {
            throw new AssertionError("a log field was dropped by Powertools (rename the entry(...) key): " + l);
        });
    }
}

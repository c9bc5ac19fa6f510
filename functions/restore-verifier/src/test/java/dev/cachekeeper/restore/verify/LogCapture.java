package dev.cachekeeper.restore.verify;

import java.io.StringWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Captures everything the code under test logs (all loggers), to check that secrets never reach the logs. */
public final class LogCapture implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;

    public LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%m %X%n").build()).build();
        appender.start();
        config.getRootLogger().addAppender(appender, null, null);
        config.getLoggerConfig("dev.cachekeeper").addAppender(appender, null, null);
        context.updateLoggers();
    }

    public String text() {
        return out.toString();
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.getConfiguration().getLoggerConfig("dev.cachekeeper").removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}

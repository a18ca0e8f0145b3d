package dev.weft.storage.s3;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what Weft's loggers write at DEBUG and above, and the AWS SDK's at INFO and above (every other logger at
 * the test default, WARN), messages and stack traces, so tests can assert that no secret reaches a log.
 *
 * <p>The SDK's own DEBUG output is left out on purpose: its SigV4 signer logs the canonical request at DEBUG, which
 * includes the {@code x-amz-security-token} header. Operators must not run {@code software.amazon.awssdk} at DEBUG
 * in production; Weft cannot change what the SDK logs.
 */
final class LogCapture implements AutoCloseable {

    private static final List<String> LOGGERS = List.of("dev.weft", "software.amazon.awssdk");
    private static final List<Level> LEVELS = List.of(Level.DEBUG, Level.INFO);

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        for (int i = 0; i < LOGGERS.size(); i++) {
            ((Logger) LoggerFactory.getLogger(LOGGERS.get(i))).setLevel(LEVELS.get(i));
        }
    }

    /** Everything captured so far, one event per line, stack traces included. */
    String text() {
        synchronized (appender) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .collect(Collectors.joining("\n"));
        }
    }

    /** How many events were captured. */
    int size() {
        synchronized (appender) {
            return appender.list.size();
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(null));
    }
}

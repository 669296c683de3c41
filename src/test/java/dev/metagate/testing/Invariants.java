package dev.metagate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks after every test that nothing went wrong silently: no ERROR log line and no Vert.x
 * blocked-thread warning. A test that provokes errors on purpose says so with {@link
 * ExpectErrorLogs}.
 */
public final class Invariants implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(Invariants.class);

  /** Marks a test whose ERROR log lines are expected. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.TYPE})
  public @interface ExpectErrorLogs {}

  @Override
  public void beforeEach(ExtensionContext ctx) {
    ctx.getStore(NS).put("mark", LogCapture.mark());
  }

  @Override
  public void afterEach(ExtensionContext ctx) {
    int mark = ctx.getStore(NS).get("mark", Integer.class);
    boolean errorsExpected =
        ctx.getRequiredTestMethod().isAnnotationPresent(ExpectErrorLogs.class)
            || ctx.getRequiredTestClass().isAnnotationPresent(ExpectErrorLogs.class);
    List<String> problems =
        LogCapture.since(mark).stream()
            .filter(LogCapture::isProblem)
            .filter(
                e -> !errorsExpected || e.getFormattedMessage().contains("has been blocked for"))
            .map(Invariants::describe)
            .toList();
    assertThat(problems).as("unexpected ERROR logs or blocked event loops").isEmpty();
  }

  private static String describe(ILoggingEvent e) {
    return e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage();
  }
}

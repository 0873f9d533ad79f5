package dev.chartwright.interop;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Hands every SQL statement Hibernate prepares for HAPI to {@link IdListRewriter}, so H2 resolves a
 * transaction's (type, id) pairs from its index instead of scanning every stored resource (see
 * there). Registered in {@link JpaServerApp} as {@code hibernate.session_factory.statement_inspector}.
 *
 * <p>It writes one line to stderr (the tier's log of the server) the first time it rewrites, and the
 * totals when the JVM stops, so the tier can check that HAPI's statements really went through it.
 */
public final class IdListStatementInspector implements StatementInspector {
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();
  private static final AtomicLong STATEMENTS = new AtomicLong();
  private static final AtomicLong PAIRS = new AtomicLong();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> System.err.println("chartwright: row-value IN rewrite: " + STATEMENTS.get() + " statements, " + PAIRS.get() + " (type, id) pairs")));
  }

  @Override
  public String inspect(String sql) {
    String rewritten = IdListRewriter.rewrite(sql);
    if (rewritten == sql) return sql;
    long pairs = (rewritten.length() - rewritten.replace("(?,?)", "").length()) / 5;
    STATEMENTS.incrementAndGet();
    PAIRS.addAndGet(pairs);
    if (ANNOUNCED.compareAndSet(false, true)) {
      System.err.println("chartwright: row-value IN rewrite: first statement rewritten, " + pairs + " (type, id) pairs");
      System.err.flush();
    }
    return rewritten;
  }
}

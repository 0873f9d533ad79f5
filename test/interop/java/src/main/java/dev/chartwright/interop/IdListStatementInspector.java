package dev.chartwright.interop;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Hands every SQL statement Hibernate prepares for HAPI to {@link EverythingJoinRewriter} and
 * {@link IdListRewriter}, so H2 answers $everything and a transaction's (type, id) pairs from its
 * indexes instead of scanning every stored resource (see there). Registered in {@link JpaServerApp} as {@code hibernate.session_factory.statement_inspector}.
 *
 * <p>It writes one line to stderr (the tier's log of the server) the first time it rewrites, and the
 * totals when the JVM stops, so the tier can check that HAPI's statements really went through it.
 */
public final class IdListStatementInspector implements StatementInspector {
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();
  private static final AtomicLong STATEMENTS = new AtomicLong();
  private static final AtomicLong PAIRS = new AtomicLong();
  private static final AtomicBoolean JOIN_ANNOUNCED = new AtomicBoolean();
  private static final AtomicLong JOINS = new AtomicLong();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> System.err.println("chartwright: row-value IN rewrite: " + STATEMENTS.get() + " statements, " + PAIRS.get() + " (type, id) pairs; $everything join rewrite: " + JOINS.get() + " statements")));
  }

  @Override
  public String inspect(String sql) {
    return idList(everythingJoin(sql));
  }

  /** {@link EverythingJoinRewriter}, announced once like the id list. */
  private static String everythingJoin(String sql) {
    String rewritten = EverythingJoinRewriter.rewrite(sql);
    if (rewritten == sql) return sql;
    JOINS.incrementAndGet();
    if (JOIN_ANNOUNCED.compareAndSet(false, true)) {
      System.err.println("chartwright: $everything join rewrite: first statement rewritten");
      System.err.flush();
    }
    return rewritten;
  }

  private static String idList(String sql) {
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

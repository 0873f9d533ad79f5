package dev.chartwright.interop;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the query HAPI's {@code Patient/{id}/$everything} finds a patient's resources with,
 * {@code FROM HFJ_RES_LINK t0 INNER JOIN HFJ_RESOURCE t1 ON (t0.SRC_RESOURCE_ID = t1.RES_ID)
 * WHERE ((t0.TARGET_RESOURCE_ID = ?) AND ...}, so that the join is a {@code LEFT OUTER JOIN}.
 *
 * <p>Why: H2 2.3 plans the inner join from HFJ_RESOURCE, scanning every stored resource and testing
 * its {@code RES_TYPE NOT IN (...)} row by row, then joins the links by source; {@code EXPLAIN} shows
 * {@code HFJ_RESOURCE.tableScan}, so each patient's $everything cost grew with the whole cohort. H2
 * keeps the written order of an outer join, so the rewritten query starts from the link table's
 * {@code TARGET_RESOURCE_ID} index (the patient's links) and reaches each source by primary key.
 *
 * <p>The two joins return the same rows: {@code HFJ_RES_LINK.SRC_RESOURCE_ID} is NOT NULL and a
 * foreign key to {@code HFJ_RESOURCE.RES_ID} (FK_RESLINK_SOURCE), so every link has exactly one
 * source row and the outer join never null-extends. Only this shape is rewritten: the link table
 * joined by source and pinned by target as the first condition, where starting from the link is
 * the selective order; any other statement is returned as it was.
 */
public final class EverythingJoinRewriter {
  private static final Pattern EVERYTHING_JOIN =
      Pattern.compile(
          "\\bFROM HFJ_RES_LINK (\\w+) INNER JOIN HFJ_RESOURCE (\\w+) ON \\(\\1\\.SRC_RESOURCE_ID = \\2\\.RES_ID\\) WHERE \\(\\(\\1\\.TARGET_RESOURCE_ID (?:= \\?|IN \\()");

  private EverythingJoinRewriter() {}

  /** {@code sql} with the join rewritten; the same String instance when it does not qualify. */
  public static String rewrite(String sql) {
    if (sql.indexOf("HFJ_RES_LINK") < 0) return sql;
    Matcher m = EVERYTHING_JOIN.matcher(sql);
    if (!m.find()) return sql;
    int inner = sql.indexOf(" INNER JOIN ", m.start());
    return sql.substring(0, inner) + " LEFT OUTER JOIN " + sql.substring(inner + " INNER JOIN ".length());
  }

  /** Reads one SQL statement per line on stdin and prints each rewritten: the tier's check of the rule. */
  public static void main(String[] args) throws IOException {
    SqlLines.rewriteStdin(EverythingJoinRewriter::rewrite);
  }
}

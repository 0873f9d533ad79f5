package dev.chartwright.interop;

import java.io.IOException;

/**
 * Rewrites the OR-list HAPI resolves a transaction's client ids with,
 * {@code x.RES_TYPE=? and x.FHIR_ID=? or x.RES_TYPE=? and x.FHIR_ID=? or ...} (each pair possibly
 * in parentheses, each possibly followed by the same parameterless partition term such as
 * {@code and x.PARTITION_ID is null}), into the row-value IN list
 * {@code (x.RES_TYPE,x.FHIR_ID) in ((?,?),(?,?),...)}.
 *
 * <p>Why: H2 2.3 plans an OR of conjunctions as a full scan of HFJ_RESOURCE, so every transaction
 * cost more than the last as the table grew (Java Flight Recorder put half of HAPI's CPU in that
 * scan while a cohort loaded), whereas it answers the row-value IN list from the (RES_TYPE, FHIR_ID)
 * unique index. The two predicates select the same rows, and the JDBC parameters keep their order
 * (type, id, type, id, ...), so the rewrite needs nothing from HAPI but the SQL text.
 *
 * <p>The scanner walks the string by hand, with no regular expression: java.util.regex recurses per
 * repetition of a group, and a regex over a transaction's few hundred pairs overflowed the stack. A
 * list is rewritten only when it is the whole condition it stands in (bounded by {@code where} or
 * an opening parenthesis on the left and by the end, a closing parenthesis or a clause keyword on the
 * right), so operator precedence cannot change what it means; anything else is left as it was.
 */
public final class IdListRewriter {
  private static final String TYPE_EQ = ".RES_TYPE=?";
  private static final String ID_EQ = ".FHIR_ID=?";
  private static final String AND = " and ";
  private static final String OR = " or ";
  /** What may follow a rewritten list: it must end the condition it is part of. */
  private static final String[] CLAUSE_ENDS = {" order by ", " group by ", " fetch ", " offset ", " limit ", " for update", " union "};

  private IdListRewriter() {}

  /** One (type, id) pair as HAPI writes it: where it ends, and its partition term if any. */
  private record Pair(int end, String tail) {}

  /** A rewritable list: the text it spans, its number of pairs and the partition term they share. */
  private record OrList(int start, int end, int pairs, String tail) {}

  /**
   * {@code sql} with every qualifying OR-list rewritten; the same String instance when there is none
   * (so a caller can tell by identity). Lists of one pair are left alone: H2 already uses the index.
   */
  public static String rewrite(String sql) {
    if (sql.indexOf(ID_EQ) < 0) return sql;
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (true) {
      int typeAt = sql.indexOf(TYPE_EQ, from);
      if (typeAt < 0) break;
      from = typeAt + TYPE_EQ.length();
      int aliasStart = typeAt;
      while (aliasStart > 0 && isIdentifierChar(sql.charAt(aliasStart - 1))) aliasStart--;
      if (aliasStart == typeAt) continue;
      String alias = sql.substring(aliasStart, typeAt);
      // `where (A.RES_TYPE=? and ...`: the parenthesis opens either the first pair or the whole list.
      boolean opened = aliasStart > 0 && sql.charAt(aliasStart - 1) == '(';
      OrList list = opened ? listAt(sql, aliasStart - 1, alias, true, copied) : null;
      if (list == null) list = listAt(sql, aliasStart, alias, false, copied);
      if (list == null) continue;
      if (out == null) out = new StringBuilder(sql.length());
      out.append(sql, copied, list.start());
      out.append('(').append(alias).append(".RES_TYPE,").append(alias).append(".FHIR_ID) in (");
      for (int i = 0; i < list.pairs(); i++) out.append(i == 0 ? "(?,?)" : ",(?,?)");
      out.append(')').append(list.tail());
      copied = list.end();
      from = list.end();
    }
    if (out == null) return sql;
    out.append(sql, copied, sql.length());
    return out.toString();
  }

  /**
   * The OR-list of two or more pairs starting at {@code start} that is a whole condition, or null.
   */
  private static OrList listAt(String sql, int start, String alias, boolean parenthesised, int copied) {
    if (start < copied || !boundedOnTheLeft(sql, start)) return null;
    Pair first = pairAt(sql, start, alias, parenthesised);
    if (first == null) return null;
    int count = 1;
    int end = first.end();
    while (sql.startsWith(OR, end)) {
      Pair next = pairAt(sql, end + OR.length(), alias, parenthesised);
      if (next == null || !next.tail().equals(first.tail())) break;
      count++;
      end = next.end();
    }
    if (count < 2 || !boundedOnTheRight(sql, end)) return null;
    return new OrList(start, end, count, first.tail());
  }

  /**
   * The pair starting at {@code at}: {@code [(]A.RES_TYPE=? and A.FHIR_ID=?[ and A.COL is [not] null][)]},
   * or null when the text there is anything else.
   */
  private static Pair pairAt(String sql, int at, String alias, boolean parenthesised) {
    int p = at;
    if (parenthesised) {
      if (!sql.startsWith("(", p)) return null;
      p++;
    }
    p = expect(sql, p, alias, TYPE_EQ);
    if (p < 0 || !sql.startsWith(AND, p)) return null;
    p = expect(sql, p + AND.length(), alias, ID_EQ);
    if (p < 0) return null;
    String tail = "";
    int tailEnd = nullTestAt(sql, p, alias);
    if (tailEnd > 0) {
      tail = sql.substring(p, tailEnd);
      p = tailEnd;
    }
    if (parenthesised) {
      if (!sql.startsWith(")", p)) return null;
      p++;
    }
    return new Pair(p, tail);
  }

  /** After {@code alias + column} at {@code at}, or -1. */
  private static int expect(String sql, int at, String alias, String column) {
    if (!sql.startsWith(alias, at) || !sql.startsWith(column, at + alias.length())) return -1;
    return at + alias.length() + column.length();
  }

  /** The end of {@code " and A.COL is null"} or {@code " and A.COL is not null"} at {@code at}, or -1. */
  private static int nullTestAt(String sql, int at, String alias) {
    if (!sql.startsWith(AND, at)) return -1;
    int p = at + AND.length();
    if (!sql.startsWith(alias, p) || !sql.startsWith(".", p + alias.length())) return -1;
    p += alias.length() + 1;
    int column = p;
    while (p < sql.length() && isIdentifierChar(sql.charAt(p))) p++;
    if (p == column) return -1;
    for (String test : new String[] {" is null", " is not null"}) {
      if (sql.startsWith(test, p)) return p + test.length();
    }
    return -1;
  }

  private static boolean boundedOnTheLeft(String sql, int start) {
    int p = start;
    while (p > 0 && sql.charAt(p - 1) == ' ') p--;
    if (p > 0 && sql.charAt(p - 1) == '(') return true;
    return p >= 5 && sql.regionMatches(true, p - 5, "where", 0, 5) && (p == 5 || !isIdentifierChar(sql.charAt(p - 6)));
  }

  private static boolean boundedOnTheRight(String sql, int end) {
    if (end == sql.length() || sql.charAt(end) == ')') return true;
    for (String clause : CLAUSE_ENDS) {
      if (sql.regionMatches(true, end, clause, 0, clause.length())) return true;
    }
    return false;
  }

  private static boolean isIdentifierChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** Reads one SQL statement per line on stdin and prints each rewritten: the tier's check of the scanner. */
  public static void main(String[] args) throws IOException {
    SqlLines.rewriteStdin(IdListRewriter::rewrite);
  }
}

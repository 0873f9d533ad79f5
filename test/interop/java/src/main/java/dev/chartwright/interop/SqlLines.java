package dev.chartwright.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** The rewriters' command line: one SQL statement per line on stdin, each printed rewritten (the tier's check of them). */
final class SqlLines {
  private SqlLines() {}

  static void rewriteStdin(UnaryOperator<String> rewrite) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    for (String line = in.readLine(); line != null; line = in.readLine()) out.append(rewrite.apply(line)).append('\n');
    System.out.print(out);
    System.out.flush();
  }
}

package io.pgrunbooks.activities.artifacts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded excerpts of text for workflow history: the text itself when it fits, else its first and
 * last lines (a log's start says what was running, its end what happened last) around one line
 * saying how much was left out.
 */
public final class Excerpts {
  /** Default budget of an excerpt, in UTF-8 bytes: a few KB per output keeps history small. */
  public static final int DEFAULT_MAX_BYTES = 4 * 1024;

  /** A single line longer than this is cut, so one huge line cannot take the whole budget. */
  static final int MAX_LINE_CHARS = 500;

  private Excerpts() {}

  /** Whether {@code text} fits in {@code maxBytes} as it is. */
  public static boolean fits(String text, int maxBytes) {
    return utf8(text) <= maxBytes;
  }

  /** The excerpt: the first lines up to half the budget, the omission line, the last lines. */
  public static String of(String text, int maxBytes) {
    if (fits(text, maxBytes)) {
      return text;
    }
    List<String> lines = text.lines().map(Excerpts::cut).toList();
    int half = maxBytes / 2 - 100; // room for the omission line
    List<String> head = new ArrayList<>();
    int used = 0;
    for (String line : lines) {
      int size = utf8(line) + 1;
      if (used + size > half) {
        break;
      }
      head.add(line);
      used += size;
    }
    List<String> tail = new ArrayList<>();
    used = 0;
    for (int i = lines.size() - 1; i >= head.size(); i--) {
      int size = utf8(lines.get(i)) + 1;
      if (used + size > half) {
        break;
      }
      tail.add(0, lines.get(i));
      used += size;
    }
    int omitted = lines.size() - head.size() - tail.size();
    StringBuilder out = new StringBuilder();
    head.forEach(l -> out.append(l).append('\n'));
    if (omitted > 0) {
      out.append("… ").append(omitted).append(" of ").append(lines.size()).append(" lines (")
          .append(utf8(text)).append(" bytes in all) left out …\n");
    }
    tail.forEach(l -> out.append(l).append('\n'));
    if (omitted == 0) { // every line is there, some of them cut
      out.append("… lines over ").append(MAX_LINE_CHARS).append(" characters cut (")
          .append(utf8(text)).append(" bytes in all) …\n");
    }
    return out.toString();
  }

  static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String cut(String line) {
    return line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line;
  }
}

package io.pgrunbooks.activities.pitr;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server's log says about a point-in-time recovery: the target it recovered towards,
 * the transaction it stopped before, the last one it replayed, and any FATAL or PANIC. The last
 * occurrence of each line counts (the log of a restarted recovery has several).
 *
 * @param recoveringTo from "starting point-in-time recovery to ..."
 * @param stoppedBefore from "recovery stopping before commit|abort of transaction N, time ..."
 * @param lastCompleted from "last completed transaction was at log time ..."
 * @param redoDoneAt from "redo done at LSN"
 * @param errors FATAL and PANIC messages
 * @param evidence the lines these came from
 */
record RecoveryLog(
    Instant recoveringTo, Instant stoppedBefore, Instant lastCompleted, String redoDoneAt,
    List<String> errors, List<String> evidence) {

  private static final String TIME = "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?[+-]\\d\\d(?::?\\d\\d)?)";
  private static final Pattern RECOVERING_TO = Pattern.compile("starting point-in-time recovery to " + TIME);
  private static final Pattern STOPPING = Pattern.compile("recovery stopping before (?:commit|abort) of transaction \\d+, time " + TIME);
  private static final Pattern LAST = Pattern.compile("last completed transaction was at log time " + TIME);
  private static final Pattern REDO_DONE = Pattern.compile("redo done at ([0-9A-F]+/[0-9A-F]+)");
  private static final Pattern ERROR = Pattern.compile("(?:FATAL|PANIC):\\s+(.*)");

  /** PostgreSQL's ISO output: {@code 2024-01-01 12:00:00.123456+00}, fraction and minutes optional. */
  private static final DateTimeFormatter PG_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
          .appendOffset("+HH:mm", "+00")
          .toFormatter();

  static RecoveryLog read(String log) {
    Instant to = null;
    Instant stopped = null;
    Instant last = null;
    String redo = null;
    List<String> errors = new ArrayList<>();
    List<String> evidence = new ArrayList<>();
    for (String line : log.lines().toList()) {
      Matcher m;
      if ((m = RECOVERING_TO.matcher(line)).find()) {
        to = time(m.group(1));
        stopped = null; // a new recovery attempt starts over
        last = null;
        evidence.clear();
        evidence.add(line);
      } else if ((m = STOPPING.matcher(line)).find()) {
        stopped = time(m.group(1));
        evidence.add(line);
      } else if ((m = LAST.matcher(line)).find()) {
        last = time(m.group(1));
        evidence.add(line);
      } else if ((m = REDO_DONE.matcher(line)).find()) {
        redo = m.group(1);
        evidence.add(line);
      } else if ((m = ERROR.matcher(line)).find()) {
        errors.add(m.group(1));
        evidence.add(line);
      }
    }
    return new RecoveryLog(to, stopped, last, redo, List.copyOf(errors), List.copyOf(evidence));
  }

  static Instant time(String text) {
    String offset = text.replaceFirst(".*([+-]\\d\\d)(\\d\\d)$", "$1:$2"); // +0530 -> +05:30
    String normalized = text.matches(".*[+-]\\d{4}$") ? text.substring(0, text.length() - 5) + offset : text;
    return OffsetDateTime.parse(normalized, PG_TIME).toInstant();
  }

  /** Where recovery stopped, in words, for failure messages. */
  String whereItStopped() {
    if (stoppedBefore == null && lastCompleted == null && redoDoneAt == null) {
      return "the log does not say where recovery stopped";
    }
    return "recovery stopped" + (stoppedBefore == null ? "" : " before the commit at " + stoppedBefore)
        + (lastCompleted == null ? "" : ", last replayed commit at " + lastCompleted)
        + (redoDoneAt == null ? "" : ", redo done at " + redoDoneAt);
  }
}

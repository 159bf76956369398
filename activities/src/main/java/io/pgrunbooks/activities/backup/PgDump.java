package io.pgrunbooks.activities.backup;

import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.ToolProcess;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One pg_dump process: the seed's {@code pg_dump --no-password --format=custom --compress=6}, in
 * the dump snapshot, its stdout read by the caller as a stream. The seed's
 * {@code --clean --if-exists} are left out: pg_dump ignores them for archive formats; they belong
 * to pg_restore, which the restore runbook passes.
 */
final class PgDump implements AutoCloseable {
  private final ToolProcess tool;

  private PgDump(ToolProcess tool) {
    this.tool = tool;
  }

  static PgDump start(
      Path binDirectory, ConnectionTarget target, String password, BackupFormat format, String snapshot)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binDirectory.resolve("pg_dump").toString());
    command.add("--dbname=" + target.conninfo());
    command.add("--no-password");
    command.add("--format=custom");
    // fast: leave compression to multi-threaded zstd after pg_dump (gzip inside pg_dump is single-threaded)
    command.add(format == BackupFormat.FAST ? "--compress=0" : "--compress=6");
    command.add("--snapshot=" + snapshot);
    return new PgDump(ToolProcess.start(command, password, false));
  }

  /** The dump, as pg_dump writes it. */
  InputStream stdout() {
    return tool.stdout();
  }

  /** Waits for pg_dump to exit; a non-zero exit becomes a failure that says why. */
  void awaitSuccess(String targetName, String database) throws InterruptedException {
    int exit = tool.waitFor();
    if (exit != 0) {
      throw failure(exit, tool.stderr(), targetName, database);
    }
  }

  /**
   * The one place that decides what a pg_dump failure means: wrong names and credentials are bad
   * input (non-retryable); an unreachable server may come back (retryable).
   */
  static ApplicationFailure failure(int exit, String stderr, String targetName, String database) {
    String text = stderr.toLowerCase(Locale.ROOT);
    String message =
        "pg_dump of database '" + database + "' on target " + targetName + " exited " + exit + ": "
            + ToolProcess.lastLines(stderr, 3);
    if (text.matches("(?s).*database \".*\" does not exist.*")) {
      return ApplicationFailure.newNonRetryableFailure(message, "UnknownDatabase");
    }
    if (text.contains("password authentication failed")
        || text.contains("no password supplied")
        || text.contains("permission denied")
        || text.contains("no pg_hba.conf entry")
        || text.matches("(?s).*role \".*\" does not exist.*")) {
      return ApplicationFailure.newNonRetryableFailure(message, "DatabaseAccessDenied");
    }
    if (text.contains("server version mismatch")) {
      return ApplicationFailure.newNonRetryableFailure(
          message + " (install a pg_dump at least as new as the server)", "PgDumpTooOld");
    }
    if (text.contains("connection refused")
        || text.contains("could not connect")
        || text.contains("could not translate host name")
        || text.contains("timeout")
        || text.contains("server closed the connection")) {
      return ApplicationFailure.newFailure(message, "DatabaseUnreachable");
    }
    return ApplicationFailure.newFailure(message, "PgDumpFailed");
  }

  /** Kills pg_dump if it still runs (a failed upload, a cancelled activity). */
  @Override
  public void close() {
    tool.close();
  }
}

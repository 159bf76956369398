package io.pgrunbooks.activities.restore;

import io.pgrunbooks.activities.crypto.DecryptionException;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.PgBinaries;
import io.pgrunbooks.activities.postgres.ToolProcess;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.restore.FoundBackup;
import io.pgrunbooks.workflows.restore.RestoreMethod;
import io.pgrunbooks.workflows.restore.RestoreMode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Feeds a backup into pg_restore or psql, stopping at the first error. Streamed: store ->
 * decryption -> the tool's stdin, no disk. Staged: decrypted to a file in the staging directory
 * first (the SHA-256 checked before anything is restored), then {@code pg_restore -j}, which
 * needs a seekable file; the file is deleted afterwards, whatever happened.
 */
final class RestoreRunner {
  private static final long BEAT_NANOS = 2_000_000_000L;

  private final ObjectStorage storage;

  RestoreRunner(ObjectStorage storage) {
    this.storage = storage;
  }

  /** Restores; returns the plaintext bytes fed. Failures are ApplicationFailures with the tool's words. */
  long run(TargetConfig config, FoundBackup backup, RestoreMethod method, KeyMaterial key, ConnectionTarget copy, String password) {
    Path bin = PgBinaries.directory(config.backup() == null ? null : config.backup().binDirectory());
    try {
      return method.mode() == RestoreMode.STAGED
          ? staged(config, backup, method, key, copy, password, bin)
          : streamed(backup, key, copy, password, bin);
    } catch (PlainSqlGuard.RefusedScript e) {
      throw ApplicationFailure.newNonRetryableFailure(backup.objectKey() + ": " + e.getMessage(), "RefusedScript");
    } catch (RestoreFeed.ChangedObject | DecryptionException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          backup.objectKey() + " is damaged: " + e.getMessage() + "; the restored copy is incomplete", "CorruptBackup");
    } catch (IOException e) {
      if (e.getClass().getName().contains("Zstd") || e instanceof java.util.zip.ZipException) {
        throw ApplicationFailure.newNonRetryableFailure(backup.objectKey() + " is damaged: " + e.getMessage(), "CorruptBackup");
      }
      throw ApplicationFailure.newFailure("reading " + backup.objectKey() + " failed: " + e.getMessage(), "BackupIoError");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }

  private long streamed(FoundBackup backup, KeyMaterial key, ConnectionTarget copy, String password, Path bin)
      throws IOException, InterruptedException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    List<String> command = backup.restoredByPgRestore() ? pgRestore(bin, copy, 1, null) : psql(bin, copy);
    try (RestoreFeed feed = RestoreFeed.open(storage, backup, key);
        ToolProcess tool = ToolProcess.start(command, password, true)) {
      OutputStream stdin = new BufferedOutputStream(tool.stdin(), 64 * 1024);
      OutputStream sink = backup.restoredByPgRestore() ? stdin : new PlainSqlGuard(stdin);
      long[] lastBeat = {System.nanoTime()};
      feed.copyTo(sink, fed -> beat(context, lastBeat, "restored " + fed + " bytes of " + backup.objectKey()));
      int exit = waitBeating(tool, context, "waiting for " + command.get(0) + " to finish");
      if (exit != 0) {
        throw toolFailed(command, tool);
      }
      // fedAll false with exit 0: the tool had read all it needed; finish() checks the rest.
      feed.finish(); // a tool that succeeded on a changed object still fails the step
      return feed.plaintextBytes();
    }
  }

  private long staged(
      TargetConfig config, FoundBackup backup, RestoreMethod method, KeyMaterial key, ConnectionTarget copy, String password, Path bin)
      throws IOException, InterruptedException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Path file = Path.of(config.restore().stagingDirectory()).resolve("pgrb-" + copy.database() + ".dump");
    try {
      long bytes;
      try (RestoreFeed feed = RestoreFeed.open(storage, backup, key);
          OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        long[] lastBeat = {System.nanoTime()};
        feed.copyTo(out, fed -> beat(context, lastBeat, "decrypted " + fed + " bytes to " + file));
        feed.finish();
        bytes = feed.plaintextBytes();
      }
      List<String> command = pgRestore(bin, copy, method.jobs(), file);
      try (ToolProcess tool = ToolProcess.start(command, password, false)) {
        if (waitBeating(tool, context, "pg_restore -j " + method.jobs() + " from " + file) != 0) {
          throw toolFailed(command, tool);
        }
      }
      return bytes;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static List<String> pgRestore(Path bin, ConnectionTarget copy, int jobs, Path file) {
    List<String> command = new ArrayList<>(List.of(
        bin.resolve("pg_restore").toString(), "--dbname=" + copy.conninfo(), "--no-password", "--exit-on-error"));
    if (jobs > 1) {
      command.add("--jobs=" + jobs);
    }
    if (file != null) {
      command.add(file.toString());
    }
    return command;
  }

  private static List<String> psql(Path bin, ConnectionTarget copy) {
    return List.of(bin.resolve("psql").toString(), "--no-psqlrc", "--quiet", "--no-password",
        "--set=ON_ERROR_STOP=1", "--dbname=" + copy.conninfo(), "--file=-");
  }

  private static int waitBeating(ToolProcess tool, ActivityExecutionContext context, String doing) throws InterruptedException {
    while (!tool.waitFor(2000)) {
      context.heartbeat(doing);
    }
    return tool.exitValue();
  }

  private static void beat(ActivityExecutionContext context, long[] lastBeat, String progress) {
    if (System.nanoTime() - lastBeat[0] > BEAT_NANOS) {
      context.heartbeat(progress);
      lastBeat[0] = System.nanoTime();
    }
  }

  /** A lost connection is worth a retry (a new attempt starts afresh); an SQL error is not. */
  private static ApplicationFailure toolFailed(List<String> command, ToolProcess tool) {
    String tool0 = Path.of(command.get(0)).getFileName().toString();
    String words = ToolProcess.lastLines(tool.stderr(), 3);
    String lower = words.toLowerCase(Locale.ROOT);
    if (lower.contains("connection to server") || lower.contains("could not connect") || lower.contains("server closed the connection")) {
      return ApplicationFailure.newFailure(tool0 + " lost the server: " + words, "RestoreConnectionLost");
    }
    return ApplicationFailure.newNonRetryableFailure(tool0 + " stopped at the first error: " + words, "RestoreSqlError");
  }
}

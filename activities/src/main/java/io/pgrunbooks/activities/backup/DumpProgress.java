package io.pgrunbooks.activities.backup;

import io.pgrunbooks.workflows.backup.BackupProgress;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies pg_dump's output into the encrypting upload and heartbeats progress at most every two
 * seconds. A heartbeat to a cancelled or timed-out activity throws, which stops the copy and so
 * aborts the upload: the dump of a dead attempt never completes an object.
 */
final class DumpProgress {
  private static final int CHUNK = 64 * 1024;
  private static final long HEARTBEAT_NANOS = 2_000_000_000L;

  private final String database;
  private final ActivityExecutionContext context;
  private volatile String phase = "starting";
  private volatile long dumped;
  private volatile long uploaded;
  private long lastHeartbeat;

  DumpProgress(String database, ActivityExecutionContext context) {
    this.database = database;
    this.context = context;
  }

  void phase(String phase) {
    this.phase = phase;
    heartbeat();
  }

  void uploaded(long bytes) {
    this.uploaded = bytes;
    maybeHeartbeat();
  }

  long dumpedBytes() {
    return dumped;
  }

  void copy(InputStream dump, OutputStream encrypted) throws IOException {
    byte[] buffer = new byte[CHUNK];
    int n;
    while ((n = dump.read(buffer)) >= 0) {
      encrypted.write(buffer, 0, n);
      dumped += n;
      maybeHeartbeat();
    }
    phase("completing upload");
  }

  private void maybeHeartbeat() {
    long now = System.nanoTime();
    if (now - lastHeartbeat >= HEARTBEAT_NANOS) {
      heartbeat();
    }
  }

  private void heartbeat() {
    lastHeartbeat = System.nanoTime();
    context.heartbeat(new BackupProgress(database, phase, dumped, uploaded));
  }
}

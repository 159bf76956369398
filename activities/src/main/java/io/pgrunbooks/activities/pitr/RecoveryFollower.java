package io.pgrunbooks.activities.pitr;

import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.pitr.RecoveryPlan;
import io.pgrunbooks.workflows.pitr.RecoveryPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Step 4: follows a starting server through recovery until it is promoted, then checks where it
 * stopped. Polling is all it does, so a retry after a worker died just polls again.
 */
final class RecoveryFollower {
  static final String SERVER_LOG = "server.log";

  private static final long POLL_MILLIS = 250;

  private final PostgresConnector connector;

  RecoveryFollower(PostgresConnector connector) {
    this.connector = connector;
  }

  RecoveryPoint follow(RecoveryPlan plan, TargetConfig config, ClusterHosting hosting, Consumer<String> heartbeat) {
    Path log = Path.of(plan.workDirectory(), SERVER_LOG);
    while (true) {
      if (!hosting.serverRunning(config)) {
        RecoveryLog read = RecoveryLog.read(text(log));
        throw PitrFailures.missedTarget(
            "the server stopped during recovery" + (read.errors().isEmpty() ? "" : ": " + String.join("; ", read.errors()))
                + "; " + read.whereItStopped() + " (target " + plan.targetTime() + ", log " + log + ")");
      }
      try (Connection c = connector.open(config.primary());
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, pg_last_xact_replay_timestamp()::text,"
                      + " (select timeline_id from pg_control_checkpoint())")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return verify(plan, RecoveryLog.read(text(log)), rs.getString(2), rs.getString(3), rs.getInt(4));
        }
        heartbeat.accept("recovering: replayed to " + rs.getString(2) + ", last transaction at " + rs.getString(3));
      } catch (SQLException notYet) {
        // Not consistent yet, or still starting: the log says which segment it restores.
        heartbeat.accept("not accepting connections yet (" + notYet.getSQLState() + "): " + lastLine(log));
      }
      sleep();
    }
  }

  /**
   * A promoted server reached its target (PostgreSQL 13+ refuses to end recovery before it); the
   * log must also show that it recovered towards this plan's target and stopped right after it.
   * When the log lacks the stop line (a logging collector took over), the replay timestamp stands in.
   */
  static RecoveryPoint verify(RecoveryPlan plan, RecoveryLog log, String replayLsn, String lastReplayed, int timeline) {
    Instant target = Instant.parse(plan.targetTime());
    if (log.recoveringTo() != null && !log.recoveringTo().equals(target)) {
      throw PitrFailures.missedTarget(
          "the server recovered towards " + log.recoveringTo() + ", not the plan's target " + target + "; " + log.whereItStopped());
    }
    Instant last = log.lastCompleted() != null ? log.lastCompleted() : lastReplayed == null ? null : RecoveryLog.time(lastReplayed);
    if (log.stoppedBefore() != null && !log.stoppedBefore().isAfter(target)) {
      throw PitrFailures.missedTarget("recovery stopped before a commit at " + log.stoppedBefore() + ", not after the target " + target);
    }
    if (last != null && last.isAfter(target)) {
      throw PitrFailures.missedTarget(
          "the last replayed commit is at " + last + ", after the target " + target + "; " + log.whereItStopped());
    }
    return new RecoveryPoint(
        plan.targetTime(),
        log.stoppedBefore() == null ? null : log.stoppedBefore().toString(),
        last == null ? null : last.toString(),
        log.redoDoneAt() != null ? log.redoDoneAt() : replayLsn,
        timeline,
        log.evidence());
  }

  private static String text(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lastLine(Path log) {
    String all = text(log).strip();
    return all.isEmpty() ? "(no log yet)" : all.substring(all.lastIndexOf('\n') + 1);
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while following recovery", e);
    }
  }
}

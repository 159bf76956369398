package io.pgrunbooks.activities.backup;

import io.pgrunbooks.activities.postgres.SqlFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;

/**
 * Failures of a backup before pg_dump runs, named after the seed's error patterns so that the
 * backup-failure runbook can classify them: an unknown database or a refused login is bad input
 * (non-retryable), an unreachable server may come back (retryable).
 */
final class BackupFailures {
  private BackupFailures() {}

  static ApplicationFailure of(SQLException e, String target, String database) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message =
        "database '" + database + "' on target " + target + ": " + e.getMessage() + " (SQLSTATE " + state + ")";
    if (state.equals("3D000")) {
      return ApplicationFailure.newNonRetryableFailure(message, "UnknownDatabase");
    }
    if (state.startsWith("28") || state.equals("42501")) {
      return ApplicationFailure.newNonRetryableFailure(message, "DatabaseAccessDenied");
    }
    if (state.startsWith("08") || state.isEmpty()) {
      return ApplicationFailure.newFailure(message, "DatabaseUnreachable");
    }
    return SqlFailures.of(e, target + "/" + database);
  }

  static ApplicationFailure badRequest(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, "InvalidBackupRequest");
  }
}

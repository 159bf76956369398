package io.pgrunbooks.activities.postgres;

import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;

/**
 * The one place that decides which JDBC errors are worth retrying. Connection trouble, resource
 * shortage, serialization conflicts and cancellations (statement timeouts) are transient: the next
 * attempt may succeed. Authentication, authorization, bad names and syntax are not: retrying them
 * only delays the message a person must act on.
 */
public final class SqlFailures {
  /** Failure type of a JDBC error that retrying will not fix. */
  public static final String SQL_ERROR = "SqlError";

  private SqlFailures() {}

  /** Whether an error with this SQLSTATE may go away by itself. */
  public static boolean isTransient(String sqlState) {
    if (sqlState == null) {
      return true; // I/O failure before the server said anything
    }
    return sqlState.startsWith("08") // connection exception
        || sqlState.startsWith("53") // insufficient resources (too many connections, disk full)
        || sqlState.startsWith("40") // serialization failure, deadlock
        || sqlState.equals("57P03") // cannot connect now (starting up)
        || sqlState.equals("57014") // query canceled (statement timeout)
        || sqlState.equals("57P01"); // admin shutdown
  }

  /** The exception an activity throws for a JDBC error: retryable or not, per {@link #isTransient}. */
  public static ApplicationFailure of(SQLException e, String target) {
    String message =
        "target " + target + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")";
    return isTransient(e.getSQLState())
        ? ApplicationFailure.newFailure(message, "TransientSqlError")
        : ApplicationFailure.newNonRetryableFailure(message, SQL_ERROR);
  }
}

package io.pgrunbooks.activities.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The server's major version, for the few queries whose SQL differs between PostgreSQL 13 and 17
 * (a function's signature, a view's columns). It is the major of server_version_num (130022 ->
 * 13), which the server reports when the connection starts, so asking costs no round trip.
 */
public final class ServerVersion {
  private ServerVersion() {}

  /** 13, 14, ... 17 for the server behind {@code c}. */
  public static int major(Connection c) throws SQLException {
    return c.getMetaData().getDatabaseMajorVersion();
  }
}

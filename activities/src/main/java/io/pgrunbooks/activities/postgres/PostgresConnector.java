package io.pgrunbooks.activities.postgres;

import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Opens JDBC connections to a target's endpoints with every wait bounded: a hung server must cost
 * a check seconds, not the activity's whole timeout. Passwords are resolved here, at the last
 * moment, from the endpoint's reference.
 */
@Component
public class PostgresConnector {
  /** Seconds to establish TCP and to log in; pg_isready's default is 3. */
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** Statements of the checks are catalog reads of milliseconds. */
  static final int STATEMENT_TIMEOUT_MILLIS = 5_000;

  private final SecretResolver secrets;

  public PostgresConnector(SecretResolver secrets) {
    this.secrets = secrets;
  }

  /** A connection to the endpoint's own database. */
  public Connection open(Endpoint endpoint) throws SQLException {
    Properties props = new Properties();
    if (endpoint.user() != null) {
      props.setProperty("user", endpoint.user());
    }
    String password = secrets.resolve(endpoint.passwordRef());
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("socketTimeout", String.valueOf(STATEMENT_TIMEOUT_MILLIS / 1000 + 5));
    props.setProperty("ApplicationName", "pg-runbooks");
    props.setProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT_MILLIS);
    props.setProperty("readOnly", "true");
    return DriverManager.getConnection(endpoint.jdbcUrl(), props);
  }

  /**
   * A connection to one database as {@code target.user()}, with the password given (the caller
   * resolved it). Not read-only: callers set their own transaction modes.
   */
  public Connection open(ConnectionTarget target, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", target.user());
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("ApplicationName", "pg-runbooks");
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(target.jdbcUrl(), props);
  }

  /** host:port of a JDBC URL, for messages. */
  public static String describe(Endpoint endpoint) {
    String url = endpoint.jdbcUrl();
    int start = url.indexOf("//");
    if (start < 0) {
      return url;
    }
    int end = url.indexOf('/', start + 2);
    return end < 0 ? url.substring(start + 2) : url.substring(start + 2, end);
  }
}

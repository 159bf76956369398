package io.pgrunbooks.activities.postgres;

import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where one database of a target is, for both JDBC and libpq tools (pg_dump, pg_restore, psql).
 * Database names may be anything PostgreSQL allows (mixed case, blanks, quotes): they are encoded
 * for the JDBC URL and quoted for libpq's connection string, never spliced in raw.
 *
 * @param host host of the endpoint's JDBC URL (the first, for multi-host URLs)
 * @param port its port (5432 when absent)
 * @param database the database
 * @param user the role
 */
public record ConnectionTarget(String host, int port, String database, String user) {

  /** The endpoint's host and port with another database. */
  public static ConnectionTarget of(Endpoint endpoint, String database, String user) {
    String url = endpoint.jdbcUrl();
    String prefix = "jdbc:postgresql://";
    if (url == null || !url.startsWith(prefix)) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
    }
    String authority = url.substring(prefix.length()).split("[/?]", 2)[0].split(",")[0];
    int colon = authority.lastIndexOf(':');
    boolean hasPort = colon > authority.lastIndexOf(']'); // an IPv6 literal has colons of its own
    String host = hasPort ? authority.substring(0, colon) : authority;
    int port = hasPort ? Integer.parseInt(authority.substring(colon + 1)) : 5432;
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + url);
    }
    return new ConnectionTarget(host, port, database, user);
  }

  /** The database of the endpoint's JDBC URL: where admin statements run (postgres when absent). */
  public static String maintenanceDatabase(Endpoint endpoint) {
    String path = endpoint.jdbcUrl().substring("jdbc:postgresql://".length());
    int slash = path.indexOf('/');
    String db = slash < 0 ? "" : path.substring(slash + 1).split("\\?")[0];
    return db.isEmpty() ? "postgres" : java.net.URLDecoder.decode(db, StandardCharsets.UTF_8);
  }

  /** JDBC URL of this database (the name percent-encoded, as the driver decodes it). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** libpq connection string, each value single-quoted with backslash and quote escaped. */
  public String conninfo() {
    return "host=" + quote(host) + " port=" + port + " dbname=" + quote(database) + " user=" + quote(user)
        + " application_name='pg-runbooks'";
  }

  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}

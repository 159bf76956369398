package io.pgrunbooks.activities.prevention;

import io.pgrunbooks.activities.host.ServerRestart;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.RequestedDatabases;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.prevention.PreventionActivities;
import io.pgrunbooks.workflows.prevention.StatementStatistics;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** See {@link PreventionActivities}. */
@Component
public class PreventionActivitiesImpl implements PreventionActivities {
  static final String LIBRARY = "pg_stat_statements";

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final SecretResolver secrets;

  public PreventionActivitiesImpl(TargetRegistry targets, PostgresConnector connector, SecretResolver secrets) {
    this.targets = targets;
    this.connector = connector;
    this.secrets = secrets;
  }

  @Override
  public StatementStatistics inspectStatementStatistics(String target, List<String> databases) {
    TargetConfig config = targets.get(target);
    List<String> asked = RequestedDatabases.of(target, config, databases, "InvalidPreventionRequest");
    try (Connection c = connector.open(config.primary())) {
      String version;
      boolean available;
      String libraries;
      String source;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(
              "select current_setting('server_version'),"
                  + " exists (select 1 from pg_available_extensions where name = '" + LIBRARY + "'),"
                  + " setting, source from pg_settings where name = 'shared_preload_libraries'")) {
        rs.next();
        version = rs.getString(1);
        available = rs.getBoolean(2);
        libraries = rs.getString(3);
        source = rs.getString(4);
      }
      List<String> installed = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<String> readable = new ArrayList<>();
      for (String database : asked) {
        try (Connection db = openDatabase(config, database)) {
          if (hasExtension(db)) {
            installed.add(database);
            if (readable(db)) {
              readable.add(database);
            }
          } else {
            missing.add(database);
          }
        }
      }
      return new StatementStatistics(config.hosting(), version, available, libraries, source,
          preloaded(libraries), installed, missing, readable);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public String preloadPgStatStatements(String target) {
    TargetConfig config = targets.get(target);
    if (config.hosting() != Hosting.HOST || config.host() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "shared_preload_libraries is changed automatically only for host hosting; target " + target + " is " + config.hosting(),
          "NotApplicable");
    }
    try (Connection c = connector.open(config.primary())) {
      String libraries = setting(c);
      if (preloaded(libraries)) {
        return libraries; // a retry after the restart: done already
      }
      String wanted = libraries.isBlank() ? LIBRARY : libraries + ", " + LIBRARY;
      c.setReadOnly(false);
      // Each library a quoted list element, as ALTER SYSTEM writes it back into postgresql.auto.conf.
      String list = Arrays.stream(wanted.split(",")).map(String::strip).filter(l -> !l.isEmpty())
          .map(l -> "'" + l.replace("'", "''") + "'").collect(Collectors.joining(", "));
      try (Statement st = c.createStatement()) {
        st.execute("alter system set shared_preload_libraries = " + list);
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    ServerRestart.restart(config.host());
    try (Connection c = connector.open(config.primary())) {
      String now = setting(c);
      if (!preloaded(now)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the server restarted with shared_preload_libraries '" + now + "': a setting with higher priority"
                + " (command line, postgresql.conf include) overrides ALTER SYSTEM",
            "PreloadNotApplied");
      }
      return now;
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public List<String> createPgStatStatements(String target, List<String> databases) {
    TargetConfig config = targets.get(target);
    List<String> created = new ArrayList<>();
    for (String database : RequestedDatabases.of(target, config, databases, "InvalidPreventionRequest")) {
      try (Connection db = openDatabase(config, database)) {
        if (hasExtension(db)) {
          continue; // a retry: created already
        }
        try (Statement st = db.createStatement()) {
          st.execute("create extension if not exists " + LIBRARY);
        }
        created.add(database);
      } catch (SQLException e) {
        throw SqlFailures.of(e, target);
      }
    }
    return created;
  }

  private Connection openDatabase(TargetConfig config, String database) throws SQLException {
    ConnectionTarget where = ConnectionTarget.of(config.primary(), database, config.primary().user());
    return connector.open(where, secrets.resolve(config.primary().passwordRef()));
  }

  static boolean preloaded(String libraries) {
    return libraries != null && Arrays.stream(libraries.split(",")).map(String::strip).anyMatch(LIBRARY::equals);
  }

  private static String setting(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_setting('shared_preload_libraries')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean hasExtension(Connection db) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("select 1 from pg_extension where extname = '" + LIBRARY + "'")) {
      return rs.next();
    }
  }

  /** Whether the view answers: it errors ("must be loaded via shared_preload_libraries") until preloaded. */
  private static boolean readable(Connection db) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.executeQuery("select count(*) from " + LIBRARY).close();
      return true;
    } catch (SQLException e) {
      if ("55000".equals(e.getSQLState())) { // object_not_in_prerequisite_state
        return false;
      }
      throw e;
    }
  }
}

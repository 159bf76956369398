package io.pgrunbooks.activities.validation;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.validation.DatabaseStatistics;
import io.pgrunbooks.workflows.validation.HealthCheck;
import io.pgrunbooks.workflows.validation.ValidationActivities;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** See {@link ValidationActivities}. */
@Component
public class ValidationActivitiesImpl implements ValidationActivities {
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();

  public ValidationActivitiesImpl(TargetRegistry targets, PostgresConnector connector) {
    this.targets = targets;
    this.connector = connector;
  }

  @Override
  public Map<String, Integer> connectionsByState(String target) {
    TargetConfig config = targets.get(target);
    Map<String, Integer> states = new LinkedHashMap<>();
    try (Connection c = connector.open(config.primary());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "select coalesce(state, 'background'), count(*) from pg_stat_activity group by 1 order by 2 desc, 1")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getInt(2));
      }
      return states;
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public List<DatabaseStatistics> databaseStatistics(String target) {
    TargetConfig config = targets.get(target);
    List<DatabaseStatistics> rows = new ArrayList<>();
    try (Connection c = connector.open(config.primary());
        PreparedStatement st = c.prepareStatement(
            """
            select datname, numbackends, xact_commit, xact_rollback, blks_read, blks_hit,
                   tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted
              from pg_stat_database
             where datname is not null and not datname like 'template%'
               and (cardinality(?::text[]) = 0 or datname = any(?::text[]))
             order by datname
            """)) {
      Array names = c.createArrayOf("text", config.databases().toArray());
      st.setArray(1, names);
      st.setArray(2, names);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(new DatabaseStatistics(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
              rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public List<HealthCheck> checkApplicationHealth(String target) {
    List<HealthCheck> checks = new ArrayList<>();
    for (String url : targets.get(target).applicationHealthUrls()) {
      long started = System.nanoTime();
      try {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
        checks.add(new HealthCheck(url, response.statusCode(), (System.nanoTime() - started) / 1_000_000, null));
      } catch (IOException | IllegalArgumentException e) {
        checks.add(new HealthCheck(url, 0, (System.nanoTime() - started) / 1_000_000, e.getClass().getSimpleName() + ": " + e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return checks;
  }
}

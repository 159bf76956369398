package io.pgrunbooks.activities.connections;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.host.ServerRestart;
import io.pgrunbooks.activities.kubernetes.ApplicationDeployments;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.connections.ConnectionActivities;
import io.pgrunbooks.workflows.connections.ConnectionCheck;
import io.pgrunbooks.workflows.connections.ConnectionDiagnosis;
import io.pgrunbooks.workflows.connections.ConnectionSource;
import io.pgrunbooks.workflows.connections.IdleBackend;
import io.pgrunbooks.workflows.connections.Termination;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Scenario 2 against the target's primary. The seed's kill query ({@code query != '<IDLE>'}) matches
 * nothing since PostgreSQL 10 and uses query_start; here an idle session is one whose {@code state}
 * is idle and whose {@code state_change} is older than the threshold, and only client backends of
 * non-superusers other than this service are ever candidates.
 */
@Component
public class ConnectionActivitiesImpl implements ConnectionActivities {
  /** Our own sessions (PostgresConnector's ApplicationName): never ended by this runbook. */
  static final String OWN_APPLICATION = "pg-runbooks";

  /**
   * Who may be ended: the same test lists the candidates and re-checks each approved one, so a
   * session that became active, changed, or was never a candidate is left alone.
   */
  private static final String TERMINABLE =
      """
         a.backend_type = 'client backend'
         and a.state = 'idle'
         and a.state_change < now() - make_interval(mins => ?)
         and a.pid <> pg_backend_pid()
         and a.application_name is distinct from '%s'
         and not coalesce(r.rolsuper, false)
      """.formatted(OWN_APPLICATION);

  /** Milliseconds termination waits for the ended backends to be gone. */
  static final int TERMINATE_WAIT_MILLIS = 3000;

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final ApplicationDeployments deployments;

  public ConnectionActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, Supplier<KubernetesClient> kubernetes) {
    this.targets = targets;
    this.connector = connector;
    this.deployments = new ApplicationDeployments(kubernetes);
  }

  @Override
  public ConnectionDiagnosis diagnose(String target, int idleMinutes) {
    requireIdleMinutes(idleMinutes);
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary())) {
      Map<String, Integer> byState = new LinkedHashMap<>();
      try (PreparedStatement st = c.prepareStatement(
              """
              select coalesce(state, 'unknown'), count(*) from pg_stat_activity
               where backend_type = 'client backend' group by 1 order by 2 desc, 1
              """);
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byState.put(rs.getString(1), rs.getInt(2));
        }
      }
      List<ConnectionSource> sources = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
              """
              select host(client_addr), usename, application_name, coalesce(state, 'unknown'), count(*)
                from pg_stat_activity where backend_type = 'client backend'
               group by 1, 2, 3, 4 order by 5 desc, 1, 2, 3, 4 limit 100
              """);
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          sources.add(new ConnectionSource(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
        }
      }
      String source;
      try (PreparedStatement st = c.prepareStatement("select source from pg_settings where name = 'max_connections'");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        source = rs.getString(1);
      }
      List<IdleBackend> idle = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
          """
          select a.pid, a.backend_start, a.usename, a.application_name, host(a.client_addr), a.state_change
            from pg_stat_activity a left join pg_roles r on r.oid = a.usesysid
           where %s
           order by a.state_change, a.pid
          """.formatted(TERMINABLE))) {
        st.setInt(1, idleMinutes);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            idle.add(new IdleBackend(
                rs.getInt(1), utc(rs.getObject(2, OffsetDateTime.class)), rs.getString(3), rs.getString(4),
                rs.getString(5), utc(rs.getObject(6, OffsetDateTime.class))));
          }
        }
      }
      return new ConnectionDiagnosis(
          config.hosting(), usage(c, config), byState, sources, idle, config.applicationDeployments(), source);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  /**
   * Ends each approved backend that is still a candidate, checked and signalled in one statement,
   * then waits (at most {@link #TERMINATE_WAIT_MILLIS}) until all of them are gone: the re-check
   * must not count a backend still exiting. Signalling all first and waiting once keeps the step
   * short for many sessions (pg_terminate_backend's own timeout, 14+ only, waits per backend).
   */
  @Override
  public Termination terminateIdle(String target, List<IdleBackend> approved, int idleMinutes) {
    requireIdleMinutes(idleMinutes);
    TargetConfig config = targets.get(target);
    List<Integer> terminated = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<Integer, OffsetDateTime> exiting = new LinkedHashMap<>();
    try (Connection c = connector.open(config.primary())) {
      try (PreparedStatement st = c.prepareStatement(
              """
              select pg_terminate_backend(a.pid)
                from pg_stat_activity a left join pg_roles r on r.oid = a.usesysid
               where a.pid = ? and a.backend_start = ? and %s
              """.formatted(TERMINABLE));
          PreparedStatement now = c.prepareStatement(
              "select coalesce(state, 'unknown') from pg_stat_activity where pid = ? and backend_start = ?")) {
        for (IdleBackend b : approved) {
          OffsetDateTime started = OffsetDateTime.parse(b.backendStart());
          st.setInt(1, b.pid());
          st.setObject(2, started);
          st.setInt(3, idleMinutes);
          try (ResultSet rs = st.executeQuery()) {
            if (rs.next() && rs.getBoolean(1)) {
              terminated.add(b.pid());
              exiting.put(b.pid(), started);
              continue;
            }
          }
          now.setInt(1, b.pid());
          now.setObject(2, started);
          try (ResultSet rs = now.executeQuery()) {
            skipped.add(b.describe() + (rs.next()
                ? ": now " + rs.getString(1) + ", left alone"
                : ": gone already (it ended, or an earlier attempt of this step ended it)"));
          }
        }
        awaitGone(now, exiting);
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    return new Termination(terminated, skipped);
  }

  /** Polls {@code now} (pid and backend start in pg_stat_activity) until none is left, at most {@link #TERMINATE_WAIT_MILLIS}. */
  private static void awaitGone(PreparedStatement now, Map<Integer, OffsetDateTime> backends) throws SQLException {
    long deadline = System.nanoTime() + TERMINATE_WAIT_MILLIS * 1_000_000L;
    Map<Integer, OffsetDateTime> left = new LinkedHashMap<>(backends);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      for (var it = left.entrySet().iterator(); it.hasNext(); ) {
        var b = it.next();
        now.setInt(1, b.getKey());
        now.setObject(2, b.getValue());
        try (ResultSet rs = now.executeQuery()) {
          if (!rs.next()) {
            it.remove();
          }
        }
      }
      if (!left.isEmpty()) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public List<String> restartApplications(String target, String restartedAt) {
    TargetConfig config = targets.get(target);
    if (config.kubernetes() == null || config.kubernetes().namespace() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " has no kubernetes.namespace to find its application deployments in", "InvalidTarget");
    }
    String namespace = config.kubernetes().namespace();
    List<String> missing = config.applicationDeployments().stream()
        .filter(name -> KubernetesFailures.call(() -> deployments.replicas(namespace, name)).isEmpty())
        .toList();
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "deployment(s) " + missing + " of target " + target + " do not exist in namespace " + namespace
              + ": fix application-deployments; nothing was restarted", "ApplicationsNotFound");
    }
    List<String> restarted = new ArrayList<>();
    for (String name : config.applicationDeployments()) {
      if (KubernetesFailures.call(() -> deployments.restart(namespace, name, restartedAt))) {
        restarted.add(namespace + "/" + name);
      }
    }
    return restarted;
  }

  @Override
  public int setMaxConnections(String target, int maxConnections) {
    if (maxConnections < 10 || maxConnections > 10_000) {
      throw ApplicationFailure.newNonRetryableFailure(
          "max_connections must be between 10 and 10000, got " + maxConnections, "InvalidMaxConnections");
    }
    TargetConfig config = targets.get(target);
    HostPlacement host = config.host();
    if (config.hosting() != Hosting.HOST || host == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "max_connections is changed automatically only for host hosting; target " + target + " is " + config.hosting(),
          "NotApplicable");
    }
    try (Connection c = connector.open(config.primary())) {
      if (currentMaxConnections(c) == maxConnections) {
        return maxConnections; // a retry after the restart: done already
      }
      c.setReadOnly(false);
      try (Statement st = c.createStatement()) {
        st.execute("alter system set max_connections = " + maxConnections);
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    ServerRestart.restart(host);
    try (Connection c = connector.open(config.primary())) {
      int now = currentMaxConnections(c);
      if (now != maxConnections) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the server restarted with max_connections " + now + ", not " + maxConnections
                + ": a setting with higher priority (command line, postgresql.conf include) overrides ALTER SYSTEM",
            "MaxConnectionsNotApplied");
      }
      return now;
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public ConnectionCheck recheck(String target) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary())) {
      return usage(c, config);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  /** Client backends (what takes max_connections slots) against the setting and the warn threshold. */
  private static ConnectionCheck usage(Connection c, TargetConfig config) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
            """
            select count(*) filter (where backend_type = 'client backend'), current_setting('max_connections')::int
              from pg_stat_activity
            """);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      int clients = rs.getInt(1);
      int max = rs.getInt(2);
      double percent = max == 0 ? 0 : Math.round(10000.0 * clients / max) / 100.0;
      double threshold = config.thresholds().connectionsWarnPercent();
      return new ConnectionCheck(clients, max, percent, threshold, percent < threshold);
    }
  }

  private static int currentMaxConnections(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select current_setting('max_connections')::int")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void requireIdleMinutes(int idleMinutes) {
    if (idleMinutes < 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "idle minutes must not be negative, got " + idleMinutes, "InvalidIdleMinutes");
    }
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}

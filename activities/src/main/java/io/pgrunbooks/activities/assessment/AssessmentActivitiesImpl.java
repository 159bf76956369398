package io.pgrunbooks.activities.assessment;

import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.AssessmentFailures;
import io.pgrunbooks.workflows.assessment.ConnectionUsage;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.LongRunningQueries;
import io.pgrunbooks.workflows.assessment.PodStatus;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReplicaLag;
import io.pgrunbooks.workflows.assessment.ReplicationStatus;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import io.pgrunbooks.workflows.assessment.ServerIdentity;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The assessment's checks. SQL checks run against the primary over JDBC (so every hosting shares
 * them, and they suit PostgreSQL 13 to 17); disk, memory, pods, volumes and logs go through the
 * target's hosting.
 */
@Component
public class AssessmentActivitiesImpl implements AssessmentActivities {
  /** The seed reads {@code --tail=20 --since=10m} of each application's log. */
  static final int LOG_TAIL_LINES = 20;

  static final int LOG_SINCE_SECONDS = 600;

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final ReadinessProbe readiness;
  private final ClusterHostings hostings;

  public AssessmentActivitiesImpl(
      TargetRegistry targets,
      PostgresConnector connector,
      ReadinessProbe readiness,
      ClusterHostings hostings) {
    this.targets = targets;
    this.connector = connector;
    this.readiness = readiness;
    this.hostings = hostings;
  }

  @Override
  public Readiness checkReadiness(String target) {
    return readiness.probe(targets.get(target).primary());
  }

  @Override
  public ServerIdentity checkServerIdentity(String target) {
    return query(
        target,
        "select version(), current_setting('server_version_num')::int, now(), pg_is_in_recovery()",
        rs -> {
          rs.next();
          OffsetDateTime now = rs.getObject(3, OffsetDateTime.class);
          return new ServerIdentity(
              rs.getString(1),
              rs.getInt(2),
              now.withOffsetSameInstant(ZoneOffset.UTC).toString(),
              rs.getBoolean(4));
        });
  }

  /**
   * The seed counts every row of pg_stat_activity against max_connections. Background processes
   * (checkpointer, WAL writer, autovacuum, WAL senders) do not take max_connections slots, so the
   * percentage here counts client backends, which is what runs out when applications cannot log in.
   */
  @Override
  public ConnectionUsage checkConnectionUsage(String target) {
    return query(
        target,
        """
        select coalesce(state, 'unknown') as state,
               count(*) filter (where backend_type = 'client backend') as clients,
               count(*) as all_backends,
               current_setting('max_connections')::int as max_connections,
               current_setting('superuser_reserved_connections')::int as reserved
          from pg_stat_activity
         group by 1
        """,
        rs -> {
          int clients = 0;
          int all = 0;
          int max = 0;
          int reserved = 0;
          Map<String, Integer> byState = new LinkedHashMap<>();
          while (rs.next()) {
            int stateClients = rs.getInt("clients");
            clients += stateClients;
            all += rs.getInt("all_backends");
            max = rs.getInt("max_connections");
            reserved = rs.getInt("reserved");
            if (stateClients > 0) {
              byState.put(rs.getString("state"), stateClients);
            }
          }
          double percent = max == 0 ? 0 : Math.round(10000.0 * clients / max) / 100.0;
          return new ConnectionUsage(all, clients, max, reserved, percent, byState);
        });
  }

  /** Scenario 4's query; query texts stay out of the result (they may hold literals, even secrets). */
  @Override
  public LongRunningQueries findLongRunningQueries(String target, double thresholdSeconds) {
    if (thresholdSeconds <= 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "slow-query threshold must be positive, got " + thresholdSeconds, "InvalidThreshold");
    }
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary());
        PreparedStatement st =
            c.prepareStatement(
                """
                select pid, datname, usename, application_name,
                       extract(epoch from now() - query_start)::float8 as seconds
                  from pg_stat_activity
                 where state = 'active'
                   and backend_type = 'client backend'
                   and pid <> pg_backend_pid()
                   and now() - query_start > make_interval(secs => ?)
                 order by seconds desc
                """)) {
      st.setDouble(1, thresholdSeconds);
      try (ResultSet rs = st.executeQuery()) {
        List<String> samples = new ArrayList<>();
        int count = 0;
        double longest = 0;
        while (rs.next()) {
          count++;
          double seconds = rs.getDouble("seconds");
          longest = Math.max(longest, seconds);
          if (samples.size() < 5) {
            samples.add(
                String.format(
                    java.util.Locale.ROOT,
                    "pid %d, %s@%s (%s), active %.0f s",
                    rs.getInt("pid"),
                    rs.getString("usename"),
                    rs.getString("datname"),
                    rs.getString("application_name"),
                    seconds));
          }
        }
        return new LongRunningQueries(thresholdSeconds, count, longest, samples);
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public ReplicationStatus checkReplication(String target) {
    return query(
        target,
        """
        select client_addr::text, application_name, state, sync_state,
               extract(epoch from write_lag)::float8 as write_lag,
               extract(epoch from flush_lag)::float8 as flush_lag,
               extract(epoch from replay_lag)::float8 as replay_lag
          from pg_stat_replication
        """,
        rs -> {
          List<ReplicaLag> replicas = new ArrayList<>();
          double max = 0;
          while (rs.next()) {
            Double replay = nullable(rs, "replay_lag");
            replicas.add(
                new ReplicaLag(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    nullable(rs, "write_lag"),
                    nullable(rs, "flush_lag"),
                    replay));
            max = Math.max(max, replay == null ? 0 : replay);
          }
          return new ReplicationStatus(replicas, max);
        });
  }

  @Override
  public StorageUsage checkDiskUsage(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.diskUsage(config));
  }

  @Override
  public ResourceUsage checkMemoryUsage(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.memoryUsage(config));
  }

  @Override
  public List<PodStatus> checkDatabasePods(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.databasePods(config));
  }

  @Override
  public List<VolumeStatus> checkPersistentVolumes(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.persistentVolumes(config));
  }

  @Override
  public List<LogFinding> scanApplicationLogs(String target) {
    TargetConfig config = targets.get(target);
    AtomicInteger scanned = new AtomicInteger();
    var context = Activity.getExecutionContext();
    return onHosting(
        config,
        h ->
            h.applicationLogErrors(
                config,
                LOG_TAIL_LINES,
                LOG_SINCE_SECONDS,
                () -> context.heartbeat("deployments scanned: " + scanned.incrementAndGet())));
  }

  private <T> T onHosting(TargetConfig config, Function<ClusterHosting, T> step) {
    try {
      return step.apply(hostings.of(config));
    } catch (ClusterHosting.NotApplicable e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), AssessmentFailures.NOT_APPLICABLE);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidTargetConfiguration");
    }
  }

  @FunctionalInterface
  private interface Rows<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T query(String target, String sql, Rows<T> rows) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary());
        PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      return rows.read(rs);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  private static Double nullable(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}

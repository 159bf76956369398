package io.pgrunbooks.activities.diagnosis;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.artifacts.ArtifactStore;
import io.pgrunbooks.activities.hosting.ClusterHosting.NotApplicable;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.Identifiers;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.artifacts.Excerpt;
import io.pgrunbooks.workflows.assessment.AssessmentFailures;
import io.pgrunbooks.workflows.assessment.ReplicaLag;
import io.pgrunbooks.workflows.diagnosis.BlockedSession;
import io.pgrunbooks.workflows.diagnosis.ConnectionGroup;
import io.pgrunbooks.workflows.diagnosis.ContainerResources;
import io.pgrunbooks.workflows.diagnosis.DatabaseSize;
import io.pgrunbooks.workflows.diagnosis.DiagnosisActivities;
import io.pgrunbooks.workflows.diagnosis.LogScan;
import io.pgrunbooks.workflows.diagnosis.PodDetails;
import io.pgrunbooks.workflows.diagnosis.PodEvent;
import io.pgrunbooks.workflows.diagnosis.ServerStatus;
import io.pgrunbooks.workflows.diagnosis.SlowStatement;
import io.pgrunbooks.workflows.diagnosis.StatementStatistics;
import io.pgrunbooks.workflows.diagnosis.TableStatistics;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * "Detailed Diagnosis" against a target: SQL on its primary (and on each of its databases for the
 * per-database views), pods through fabric8 or the host's server through pg_ctl and its log file.
 * Every query suits PostgreSQL 13 to 17. Where the seed is wrong:
 *
 * <ul>
 *   <li>pg_stat_statements: {@code total_time}/{@code mean_time} became {@code
 *       total_exec_time}/{@code mean_exec_time} in 13; and the view only works when the module is
 *       in shared_preload_libraries and the extension exists in the database read from, so both
 *       are checked and a missing one is a finding, not an error.
 *   <li>pg_stat_user_tables has {@code relname}, not {@code tablename}; and it covers only the
 *       database connected to, so it is read in each of the target's databases.
 *   <li>Locks: see {@link #analyzeLocks}.
 * </ul>
 */
@Component
public class DiagnosisActivitiesImpl implements DiagnosisActivities {
  /** Events the seed keeps ({@code tail -20}). */
  static final int NEWEST_EVENTS = 20;

  /** Matching log lines kept in history (all of them are in the artifact). */
  static final int MAX_LOG_MATCHES = 50;

  /** Statements in the full list stored as an artifact. */
  static final int STATEMENT_LIST_LIMIT = 500;

  /** The seed's grep: the severities that mean something failed. */
  private static final Pattern ERROR_LINE = Pattern.compile("(ERROR|FATAL|PANIC)");

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final ArtifactStore artifacts;
  private final DiagnosisHosting kubernetesHosting;
  private final DiagnosisHosting hostHosting = new HostDiagnosis();

  public DiagnosisActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, Supplier<KubernetesClient> kubernetes, ArtifactStore artifacts) {
    this.targets = targets;
    this.connector = connector;
    this.artifacts = artifacts;
    this.kubernetesHosting = new KubernetesDiagnosis(kubernetes);
  }

  @Override
  public List<PodDetails> describeDatabasePods(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.describePods(config));
  }

  @Override
  public List<PodEvent> recentPodEvents(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.recentEvents(config, NEWEST_EVENTS));
  }

  @Override
  public LogScan scanDatabaseLog(String target) {
    return scan(target, false);
  }

  @Override
  public LogScan scanPreviousDatabaseLog(String target) {
    return scan(target, true);
  }

  private LogScan scan(String target, boolean previous) {
    TargetConfig config = targets.get(target);
    DiagnosisHosting.RawLog raw = onHosting(config, h -> h.databaseLog(config, previous));
    String text = raw.text() == null ? "" : raw.text();
    List<String> lines = text.lines().toList();
    List<String> matches = lines.stream().filter(l -> ERROR_LINE.matcher(l).find()).toList();
    List<String> kept = matches.subList(Math.max(0, matches.size() - MAX_LOG_MATCHES), matches.size()).stream()
        .map(l -> l.length() > 300 ? l.substring(0, 300) + "…" : l)
        .toList();
    Excerpt log = artifacts.keep(workflowId(), previous ? "previous-database.log" : "database.log", "text/plain", text);
    return new LogScan(raw.source(), lines.size(), kept, matches.size(), log);
  }

  @Override
  public List<ContainerResources> podResources(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.resources(config));
  }

  @Override
  public ServerStatus serverStatus(String target) {
    TargetConfig config = targets.get(target);
    return onHosting(config, h -> h.serverStatus(config));
  }

  @Override
  public List<ConnectionGroup> connectionsByClient(String target) {
    // The seed's query; background processes have no state and are left out, as there.
    return query(target, null,
        """
        select host(client_addr), usename, datname, state, count(*)::int
          from pg_stat_activity
         where state is not null
         group by 1, 2, 3, 4
         order by 5 desc, 1, 2, 3, 4
         limit 200
        """,
        rs -> new ConnectionGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
  }

  /**
   * Blocked sessions and their blockers through {@code pg_blocking_pids(pid)} rather than the seed's
   * self-join of pg_locks on eleven columns. It finds the same pairs, as the lock manager itself
   * sees them: it knows lock-mode conflicts (the join pairs any two locks on one object, even
   * compatible ones held by sessions that block nobody), sessions queued ahead of the waiter (which
   * block it without holding the lock yet), and parallel query workers and group locking (it
   * reports the leader, not a worker that shares its locks). A prepared transaction that holds the
   * lock appears as pid 0.
   */
  @Override
  public List<BlockedSession> analyzeLocks(String target) {
    return query(target, null,
        """
        select w.pid, w.usename, w.application_name, left(w.query, 1000),
               coalesce(extract(epoch from now() - w.query_start), 0)::float8,
               coalesce(w.wait_event_type || ':' || w.wait_event, ''),
               blocker.pid, b.usename, b.application_name,
               case when blocker.pid = 0 then 'prepared transaction' else b.state end,
               left(b.query, 1000)
          from pg_stat_activity w
          cross join lateral unnest(pg_blocking_pids(w.pid)) as blocker(pid)
          left join pg_stat_activity b on b.pid = blocker.pid
         order by 5 desc, w.pid, blocker.pid
        """,
        rs -> new BlockedSession(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5),
            rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)));
  }

  /** pg_stat_replication; the lags are NULL on an idle primary (nothing replayed lately), kept as null. */
  @Override
  public List<ReplicaLag> replicationStatus(String target) {
    return query(target, null,
        """
        select host(client_addr), application_name, state, sync_state,
               extract(epoch from write_lag)::float8, extract(epoch from flush_lag)::float8,
               extract(epoch from replay_lag)::float8
          from pg_stat_replication
         order by application_name, client_addr
        """,
        rs -> new ReplicaLag(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            nullableDouble(rs, 5), nullableDouble(rs, 6), nullableDouble(rs, 7)));
  }

  @Override
  public StatementStatistics slowestStatements(String target) {
    boolean preloaded = single(target, null,
        "select 'pg_stat_statements' = any(string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))",
        rs -> rs.getBoolean(1));
    List<String> installedIn = new ArrayList<>();
    List<String> missingIn = new ArrayList<>();
    String schema = null;
    for (String database : databases(target)) {
      String s = single(target, database,
          """
          select (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
                   where e.extname = 'pg_stat_statements')
          """,
          rs -> rs.getString(1));
      if (s == null) {
        missingIn.add(database);
      } else {
        installedIn.add(database);
        schema = schema == null ? s : schema;
      }
    }
    if (!preloaded || installedIn.isEmpty()) {
      // Without the preloaded module the view errors; without the extension there is no view.
      return new StatementStatistics(preloaded, installedIn, missingIn, List.of(), null);
    }
    // One database's view shows the statements of all databases (dbid tells them apart).
    List<SlowStatement> all = query(target, installedIn.get(0),
        """
        select d.datname, r.rolname, left(s.query, 1000), s.calls, s.total_exec_time, s.mean_exec_time, s.rows
          from %s s
          left join pg_database d on d.oid = s.dbid
          left join pg_roles r on r.oid = s.userid
         order by s.mean_exec_time desc, s.calls desc
         limit %d
        """.formatted(Identifiers.qualified(schema, "pg_stat_statements"), STATEMENT_LIST_LIMIT),
        rs -> new SlowStatement(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getDouble(5),
            rs.getDouble(6), rs.getLong(7)));
    Excerpt list = artifacts.keep(workflowId(), "statements.csv", "text/csv", csv(all));
    return new StatementStatistics(preloaded, installedIn, missingIn, all.subList(0, Math.min(10, all.size())), list);
  }

  @Override
  public List<DatabaseSize> databaseSizes(String target) {
    return query(target, null,
        """
        select datname, pg_database_size(oid), pg_size_pretty(pg_database_size(oid))
          from pg_database
         where datallowconn and has_database_privilege(oid, 'CONNECT')
         order by 2 desc, 1
        """,
        rs -> new DatabaseSize(rs.getString(1), rs.getLong(2), rs.getString(3)));
  }

  @Override
  public List<TableStatistics> tableStatistics(String target) {
    List<TableStatistics> rows = new ArrayList<>();
    for (String database : databases(target)) {
      rows.addAll(query(target, database,
          """
          select schemaname, relname, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_tup_ins, n_tup_upd, n_tup_del
            from pg_stat_user_tables
           order by seq_tup_read desc, schemaname, relname
           limit 10
          """,
          rs -> new TableStatistics(database, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
              nullableLong(rs, 5), nullableLong(rs, 6), rs.getLong(7), rs.getLong(8), rs.getLong(9))));
    }
    return rows;
  }

  /** The target's databases, or every database one may connect to when none are configured. */
  private List<String> databases(String target) {
    TargetConfig config = targets.get(target);
    if (!config.databases().isEmpty()) {
      return config.databases();
    }
    return query(target, null,
        """
        select datname from pg_database
         where datallowconn and not datistemplate and has_database_privilege(oid, 'CONNECT')
         order by 1
        """,
        rs -> rs.getString(1));
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Every row of {@code sql} in {@code database} (null: the primary endpoint's own). */
  private <T> List<T> query(String target, String database, String sql, Row<T> row) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(endpoint(config, database));
        PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(row.read(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw SqlFailures.of(e, database == null ? target : target + " database " + database);
    }
  }

  private <T> T single(String target, String database, String sql, Row<T> row) {
    return query(target, database, sql, row).get(0);
  }

  private static Endpoint endpoint(TargetConfig config, String database) {
    Endpoint primary = config.primary();
    if (database == null) {
      return primary;
    }
    return new Endpoint(ConnectionTarget.of(primary, database, primary.user()).jdbcUrl(), primary.user(), primary.passwordRef());
  }

  private <T> T onHosting(TargetConfig config, java.util.function.Function<DiagnosisHosting, T> step) {
    DiagnosisHosting hosting = config.hosting() == Hosting.KUBERNETES ? kubernetesHosting : hostHosting;
    try {
      return KubernetesFailures.call(() -> step.apply(hosting));
    } catch (NotApplicable e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), AssessmentFailures.NOT_APPLICABLE);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidTargetConfiguration");
    }
  }

  private static String workflowId() {
    return Activity.getExecutionContext().getInfo().getWorkflowId();
  }

  static String csv(List<SlowStatement> statements) {
    StringBuilder out = new StringBuilder("database,user,calls,total_exec_ms,mean_exec_ms,rows,query\n");
    for (SlowStatement s : statements) {
      out.append(csvField(s.database())).append(',').append(csvField(s.user())).append(',').append(s.calls()).append(',')
          .append(String.format(Locale.ROOT, "%.3f,%.3f", s.totalExecMillis(), s.meanExecMillis())).append(',')
          .append(s.rows()).append(',').append(csvField(s.query())).append('\n');
    }
    return out.toString();
  }

  private static String csvField(String value) {
    return value == null ? "" : "\"" + value.replace("\"", "\"\"") + "\"";
  }

  private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}

package io.pgrunbooks.activities.slowqueries;

import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.Identifiers;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.slowqueries.Backend;
import io.pgrunbooks.workflows.slowqueries.LockWait;
import io.pgrunbooks.workflows.slowqueries.LockWaits;
import io.pgrunbooks.workflows.slowqueries.QueryCheck;
import io.pgrunbooks.workflows.slowqueries.SlowQueryActivities;
import io.pgrunbooks.workflows.slowqueries.StatementStats;
import io.pgrunbooks.workflows.slowqueries.StopMethod;
import io.pgrunbooks.workflows.slowqueries.Stopping;
import io.pgrunbooks.workflows.slowqueries.TableStatistics;
import io.pgrunbooks.workflows.slowqueries.TableStats;
import io.pgrunbooks.workflows.slowqueries.Vacuumed;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Scenario 4 against the target's primary, all through JDBC: hosting (host or kubernetes) makes no
 * difference. The seed's slow-query query counts every backend (WAL senders, autovacuum, the psql
 * running it); here only client backends other than this service's are ever listed or stopped.
 */
@Component
public class SlowQueryActivitiesImpl implements SlowQueryActivities {
  /** Our own sessions (PostgresConnector's ApplicationName): never listed, never stopped. */
  static final String OWN_APPLICATION = "pg-runbooks";

  /** How long a stopped backend is followed, and the re-checks wait for released sessions. */
  static final long WAIT_MILLIS = 5_000;

  /** A table whose VACUUM cannot get its lock within this is skipped, not queued behind the holder. */
  static final String VACUUM_LOCK_TIMEOUT = "30s";

  /** "Heavy" sequential scans: at least this many rows read in all, and this many per scan on average. */
  static final long SEQ_ROWS_MIN = 100_000;
  static final long ROWS_PER_SCAN_MIN = 1_000;

  /** Dead tuples or rows changed since analyze worth a VACUUM (ANALYZE): this many, and this share of live rows. */
  static final long CHANGED_MIN = 1_000;
  static final double CHANGED_SHARE = 0.1;

  /** Tables and statements listed at most. */
  static final int LIMIT = 10;

  private static final String CLIENT =
      """
       a.backend_type = 'client backend' and a.pid <> pg_backend_pid()
       and a.application_name is distinct from '%s'
      """.formatted(OWN_APPLICATION);

  private static final String BACKEND_COLUMNS =
      """
      a.pid, a.backend_start, a.query_start, a.xact_start, coalesce(a.state, 'unknown'), a.usename,
      a.application_name, host(a.client_addr), a.datname, a.wait_event_type || ':' || a.wait_event,
      floor(extract(epoch from now() - case when a.state = 'active' then a.query_start
                                          else coalesce(a.xact_start, a.query_start) end))::bigint,
      left(regexp_replace(a.query, '\\s+', ' ', 'g'), %d)
      """.formatted(Backend.QUERY_EXCERPT);

  private static final String SLOW =
      CLIENT + " and a.state = 'active' and a.query_start < now() - make_interval(secs => ?)"
          + " and cardinality(pg_blocking_pids(a.pid)) = 0";

  private static final String BLOCKS_SOMEONE =
      "exists (select 1 from pg_stat_activity w where w.pid <> a.pid and a.pid = any(pg_blocking_pids(w.pid)))";

  private static final String TABLE_COLUMNS =
      """
      select schemaname, relname, coalesce(seq_scan, 0), coalesce(seq_tup_read, 0), coalesce(idx_scan, 0),
             coalesce(n_live_tup, 0), coalesce(n_dead_tup, 0), coalesce(n_mod_since_analyze, 0),
             greatest(last_vacuum, last_autovacuum), greatest(last_analyze, last_autoanalyze)
        from pg_stat_user_tables
      """;

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final SecretResolver secrets;

  public SlowQueryActivitiesImpl(TargetRegistry targets, PostgresConnector connector, SecretResolver secrets) {
    this.targets = targets;
    this.connector = connector;
    this.secrets = secrets;
  }

  @Override
  public List<Backend> findSlowQueries(String target, int thresholdSeconds) {
    requireThreshold(thresholdSeconds);
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary());
        PreparedStatement st = c.prepareStatement(
            "select " + BACKEND_COLUMNS + ", array[]::int[] from pg_stat_activity a where " + SLOW + " order by a.query_start, a.pid")) {
      st.setInt(1, thresholdSeconds);
      return backends(st, b -> StopMethod.CANCEL);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public LockWaits findLockWaits(String target) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary())) {
      List<LockWait> waits = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
              """
              select a.pid, a.usename, a.application_name, a.datname, a.wait_event_type || ':' || a.wait_event,
                     floor(extract(epoch from now() - a.query_start))::bigint,
                     left(regexp_replace(a.query, '\\s+', ' ', 'g'), %d), pg_blocking_pids(a.pid)
                from pg_stat_activity a
               where a.backend_type = 'client backend' and a.pid <> pg_backend_pid()
                 and cardinality(pg_blocking_pids(a.pid)) > 0
               order by a.query_start, a.pid
              """.formatted(Backend.QUERY_EXCERPT));
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          waits.add(new LockWait(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getLong(6), rs.getString(7), ints(rs.getArray(8))));
        }
      }
      // The heads of the chains: blocking others, waiting for nobody. Ending one releases everyone behind it.
      Set<Integer> waiting = waits.stream().map(LockWait::pid).collect(Collectors.toSet());
      Set<Integer> heads = new LinkedHashSet<>();
      waits.forEach(w -> w.blockedBy().stream().filter(p -> !waiting.contains(p)).forEach(heads::add));
      List<Backend> blockers = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      if (!heads.isEmpty()) {
        try (PreparedStatement st = c.prepareStatement(
            "select " + BACKEND_COLUMNS + ", array[]::int[] from pg_stat_activity a where " + CLIENT + " and a.pid = any(?) order by a.xact_start, a.pid")) {
          st.setArray(1, c.createArrayOf("int4", heads.toArray()));
          blockers.addAll(backends(st, b -> "active".equals(b.state()) ? StopMethod.CANCEL : StopMethod.TERMINATE));
        }
        blockers.replaceAll(b -> withBlocked(b, behind(b.pid(), waits)));
        Set<Integer> found = blockers.stream().map(Backend::pid).collect(Collectors.toSet());
        heads.stream().filter(p -> !found.contains(p)).forEach(p -> notes.add("pid " + p + " blocks " + behind(p, waits)
            + " but is not another client's session (this service's own, a background process, or gone): this runbook leaves it alone"));
      }
      if (heads.isEmpty() && !waits.isEmpty()) {
        notes.add("the lock waits form a cycle (a deadlock): the server's deadlock detector ends one of them after deadlock_timeout");
      }
      return new LockWaits(waits, blockers, notes);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public TableStatistics checkTableStatistics(String target) {
    TargetConfig config = targets.get(target);
    List<TableStats> seqScans = new ArrayList<>();
    List<TableStats> needVacuum = new ArrayList<>();
    List<StatementStats> statements = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> databases = databases(config);
    String statementsFrom = null;
    for (String database : databases) {
      try (Connection c = open(config, database); Statement st = c.createStatement()) {
        st.execute("set statement_timeout = '30s'");
        seqScans.addAll(tables(c, database,
            "where seq_tup_read >= %d and seq_tup_read >= %d * seq_scan and seq_scan > coalesce(idx_scan, 0) order by seq_tup_read desc limit %d"
                .formatted(SEQ_ROWS_MIN, ROWS_PER_SCAN_MIN, LIMIT)));
        needVacuum.addAll(tables(c, database,
            """
            where (n_dead_tup >= %1$d and n_dead_tup >= %2$s * n_live_tup)
               or (n_mod_since_analyze >= %1$d and n_mod_since_analyze >= %2$s * n_live_tup)
               or (n_live_tup >= %1$d and coalesce(last_analyze, last_autoanalyze) is null)
             order by n_dead_tup desc, n_mod_since_analyze desc limit %3$d
            """.formatted(CHANGED_MIN, CHANGED_SHARE, LIMIT)));
        if (statementsFrom == null) {
          String view = statementsView(c);
          if (view != null) {
            statementsFrom = database;
            statements.addAll(slowestStatements(c, view, databases, notes));
          }
        }
      } catch (SQLException e) {
        throw SqlFailures.of(e, target);
      }
    }
    if (statementsFrom == null) {
      notes.add("pg_stat_statements is not installed in " + databases + " (it needs shared_preload_libraries ="
          + " 'pg_stat_statements' and CREATE EXTENSION pg_stat_statements): the slowest statements could not be listed");
    }
    seqScans.sort(Comparator.comparingLong(TableStats::seqTupRead).reversed());
    needVacuum.sort(Comparator.comparingLong(TableStats::deadTuples).thenComparingLong(TableStats::modsSinceAnalyze).reversed());
    return new TableStatistics(first(seqScans), first(needVacuum), statements, notes);
  }

  @Override
  public Stopping cancelQueries(String target, List<Backend> approved) {
    TargetConfig config = targets.get(target);
    List<Integer> stopped = new ArrayList<>();
    List<String> notStopped = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (Connection c = connector.open(config.primary())) {
      for (Backend b : approved) {
        // Checked and signalled in one statement: nothing else can be stopped in between.
        String still = b.blocksOthers() ? BLOCKS_SOMEONE : "a.state = 'active'";
        String function = b.stop() == StopMethod.CANCEL ? "pg_cancel_backend" : "pg_terminate_backend";
        boolean signalled;
        try (PreparedStatement st = c.prepareStatement(
            "select " + function + "(a.pid) from pg_stat_activity a where " + CLIENT
                + " and a.pid = ? and a.backend_start = ? and a.query_start is not distinct from ? and " + still)) {
          st.setInt(1, b.pid());
          st.setObject(2, time(b.backendStart()));
          st.setObject(3, time(b.queryStart()));
          try (ResultSet rs = st.executeQuery()) {
            signalled = rs.next() && rs.getBoolean(1);
          }
        } catch (SQLException e) {
          if (!"42501".equals(e.getSQLState())) {
            throw e;
          }
          skipped.add(b.summary() + ": not permitted (" + e.getMessage() + ")");
          continue;
        }
        if (!signalled) {
          skipped.add(b.summary() + ": " + whyNot(c, b));
          continue;
        }
        String after = awaitStopped(c, b);
        if (after == null) {
          stopped.add(b.pid());
        } else {
          notStopped.add("pid " + b.pid() + " (" + after + " " + WAIT_MILLIS / 1000 + " s after " + function + ")");
        }
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    return new Stopping(stopped, notStopped, skipped);
  }

  @Override
  public QueryCheck recheckQueries(String target, List<Backend> approved, int thresholdSeconds) {
    requireThreshold(thresholdSeconds);
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary())) {
      // Released sessions finish their statements in a moment: give them that moment, no more.
      return poll(() -> {
        List<Integer> running = new ArrayList<>();
        for (Backend b : approved) {
          if (stillThere(c, b) != null) {
            running.add(b.pid());
          }
        }
        return new QueryCheck(running, count(c, SLOW, thresholdSeconds),
            count(c, "a.backend_type = 'client backend' and cardinality(pg_blocking_pids(a.pid)) > 0", null));
      }, QueryCheck::clean);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public Vacuumed vacuumAnalyzeTables(String target, List<TableStats> tables) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // A retried attempt resumes after the last table the previous one reported.
    Vacuumed previous = context.getHeartbeatDetails(Vacuumed.class).orElse(new Vacuumed(List.of(), List.of()));
    List<String> done = new ArrayList<>(previous.tables());
    List<String> skipped = new ArrayList<>(previous.skipped());
    TargetConfig config = targets.get(target);
    Connection c = null;
    String connectedTo = null;
    try {
      for (int i = done.size() + skipped.size(); i < tables.size(); i++) {
        TableStats t = tables.get(i);
        if (!t.database().equals(connectedTo)) {
          closeQuietly(c);
          c = open(config, requireDatabase(config, t.database()));
          connectedTo = t.database();
          try (Statement st = c.createStatement()) {
            st.execute("set statement_timeout = 0"); // a large table's VACUUM takes as long as it takes
            st.execute("set lock_timeout = '" + VACUUM_LOCK_TIMEOUT + "'");
          }
        }
        String name = Identifiers.qualified(t.schema(), t.table());
        if (!exists(c, name)) {
          skipped.add(t.name() + ": it no longer exists");
        } else {
          try (Statement st = c.createStatement()) {
            st.execute("vacuum (analyze) " + name);
            done.add(t.name());
          } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) {
              throw e;
            }
            skipped.add(t.name() + ": its lock was not granted within " + VACUUM_LOCK_TIMEOUT
                + " (a session holds a conflicting lock, e.g. ALTER TABLE or another VACUUM)");
          }
        }
        context.heartbeat(new Vacuumed(List.copyOf(done), List.copyOf(skipped)));
      }
      return new Vacuumed(done, skipped);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    } finally {
      closeQuietly(c);
    }
  }

  @Override
  public List<TableStats> recheckTables(String target, List<TableStats> tables) {
    TargetConfig config = targets.get(target);
    Map<String, List<TableStats>> byDatabase = tables.stream().collect(Collectors.groupingBy(TableStats::database));
    try {
      // Before PostgreSQL 15 the statistics collector reports a VACUUM a moment later: wait for it, briefly.
      return poll(() -> {
        List<TableStats> now = new ArrayList<>();
        for (var entry : byDatabase.entrySet()) {
          try (Connection c = open(config, requireDatabase(config, entry.getKey()))) {
            for (TableStats t : entry.getValue()) {
              now.addAll(tables(c, t.database(), "where schemaname = '%s' and relname = '%s'"
                  .formatted(t.schema().replace("'", "''"), t.table().replace("'", "''"))));
            }
          }
        }
        return now;
      }, now -> tables.stream().allMatch(b -> now.stream()
          .noneMatch(a -> a.name().equals(b.name()) && Objects.equals(a.lastVacuum(), b.lastVacuum()))));
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  /** Why an approved backend was not signalled. */
  private static String whyNot(Connection c, Backend b) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "select coalesce(a.state, 'unknown'), a.query_start is not distinct from ?, " + BLOCKS_SOMEONE
            + " from pg_stat_activity a where a.pid = ? and a.backend_start = ?")) {
      st.setObject(1, time(b.queryStart()));
      st.setInt(2, b.pid());
      st.setObject(3, time(b.backendStart()));
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return "gone already (it ended, or an earlier attempt of this step ended it)";
        }
        if (!rs.getBoolean(2)) {
          return "it runs another statement now (" + rs.getString(1) + "), left alone";
        }
        return b.blocksOthers() && !rs.getBoolean(3)
            ? "it no longer blocks anyone (now " + rs.getString(1) + "), left alone"
            : "it finished (now " + rs.getString(1) + "), left alone";
      }
    }
  }

  /** Follows a signalled backend: null once it stopped, else its state after the wait. */
  private static String awaitStopped(Connection c, Backend b) throws SQLException {
    String state = poll(() -> stillThere(c, b), Objects::isNull);
    return state == null ? null : "still " + state;
  }

  /** A read that may fail with a JDBC error. */
  private interface SqlRead<T> {
    T read() throws SQLException;
  }

  /** Reads until {@code done} holds or {@link #WAIT_MILLIS} have passed: the last reading. */
  private static <T> T poll(SqlRead<T> read, Predicate<T> done) throws SQLException {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (true) {
      T value = read.read();
      if (done.test(value) || System.currentTimeMillis() > deadline) {
        return value;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure("interrupted while waiting for the server", "Interrupted");
      }
    }
  }

  /**
   * The backend's state if it is still what was approved (a cancelled statement still running, a
   * terminated session still connected), else null.
   */
  private static String stillThere(Connection c, Backend b) throws SQLException {
    String condition = b.stop() == StopMethod.TERMINATE ? "true" : "a.state = 'active' and a.query_start is not distinct from ?";
    try (PreparedStatement st = c.prepareStatement(
        "select coalesce(a.state, 'unknown') from pg_stat_activity a where a.pid = ? and a.backend_start = ? and " + condition)) {
      st.setInt(1, b.pid());
      st.setObject(2, time(b.backendStart()));
      if (b.stop() == StopMethod.CANCEL) {
        st.setObject(3, time(b.queryStart()));
      }
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static int count(Connection c, String where, Integer seconds) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select count(*) from pg_stat_activity a where " + where)) {
      if (seconds != null) {
        st.setInt(1, seconds);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static List<Backend> backends(PreparedStatement st, java.util.function.Function<Backend, StopMethod> stop) throws SQLException {
    List<Backend> found = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        Backend b = new Backend(rs.getInt(1), utc(rs.getObject(2, OffsetDateTime.class)), utc(rs.getObject(3, OffsetDateTime.class)),
            utc(rs.getObject(4, OffsetDateTime.class)), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
            rs.getString(9), rs.getString(10), rs.getLong(11), rs.getString(12), StopMethod.CANCEL, ints(rs.getArray(13)));
        found.add(withStop(b, stop.apply(b)));
      }
    }
    return found;
  }

  private static Backend withStop(Backend b, StopMethod stop) {
    return new Backend(b.pid(), b.backendStart(), b.queryStart(), b.xactStart(), b.state(), b.user(), b.application(),
        b.clientAddr(), b.database(), b.waitEvent(), b.runningSeconds(), b.query(), stop, b.blocking());
  }

  private static Backend withBlocked(Backend b, List<Integer> blocked) {
    return new Backend(b.pid(), b.backendStart(), b.queryStart(), b.xactStart(), b.state(), b.user(), b.application(),
        b.clientAddr(), b.database(), b.waitEvent(), b.runningSeconds(), b.query(), b.stop(), blocked);
  }

  /** Every waiting pid behind {@code head}, directly or behind other waiters, in order found. */
  static List<Integer> behind(int head, List<LockWait> waits) {
    Set<Integer> seen = new LinkedHashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(List.of(head));
    while (!todo.isEmpty()) {
      int holder = todo.pop();
      for (LockWait w : waits) {
        if (w.blockedBy().contains(holder) && w.pid() != head && seen.add(w.pid())) {
          todo.add(w.pid());
        }
      }
    }
    return List.copyOf(seen);
  }

  private static List<TableStats> tables(Connection c, String database, String where) throws SQLException {
    List<TableStats> found = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(TABLE_COLUMNS + where)) {
      while (rs.next()) {
        found.add(new TableStats(database, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6), rs.getLong(7), rs.getLong(8), utc(rs.getObject(9, OffsetDateTime.class)),
            utc(rs.getObject(10, OffsetDateTime.class))));
      }
    }
    return found;
  }

  /** The schema-qualified pg_stat_statements view of this database, or null when it is not installed here. */
  private static String statementsView(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            """
            select format('%I.pg_stat_statements', n.nspname)
              from pg_extension e join pg_namespace n on n.oid = e.extnamespace
             where e.extname = 'pg_stat_statements'
            """)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** The slowest statements by mean time in the target's databases (13+ column names). */
  private static List<StatementStats> slowestStatements(Connection c, String view, List<String> databases, List<String> notes)
      throws SQLException {
    List<StatementStats> found = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        """
        select d.datname, r.rolname, s.calls, s.mean_exec_time, s.total_exec_time, s.rows,
               left(regexp_replace(s.query, '\\s+', ' ', 'g'), %d)
          from %s s join pg_database d on d.oid = s.dbid left join pg_roles r on r.oid = s.userid
         where d.datname = any(?) and s.calls > 0
         order by s.mean_exec_time desc limit %d
        """.formatted(Backend.QUERY_EXCERPT, view, LIMIT))) {
      st.setArray(1, c.createArrayOf("text", databases.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(new StatementStats(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5),
              rs.getLong(6), rs.getString(7)));
        }
      }
    } catch (SQLException e) {
      // e.g. 55000 "pg_stat_statements must be loaded via shared_preload_libraries", or 42703 before PostgreSQL 13
      notes.add("pg_stat_statements is installed but could not be read: " + e.getMessage()
          + " (it needs shared_preload_libraries = 'pg_stat_statements'; mean_exec_time needs PostgreSQL 13+)");
    }
    return found;
  }

  private static boolean exists(Connection c, String qualifiedName) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select to_regclass(?) is not null")) {
      st.setString(1, qualifiedName);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** The target's databases; without a list, the primary endpoint's own. */
  private static List<String> databases(TargetConfig config) {
    return config.databases().isEmpty() ? List.of(ConnectionTarget.maintenanceDatabase(config.primary())) : config.databases();
  }

  private static String requireDatabase(TargetConfig config, String database) {
    if (!databases(config).contains(database)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "database " + database + " is not one of the target's " + databases(config), "InvalidSlowQueryRequest");
    }
    return database;
  }

  private Connection open(TargetConfig config, String database) throws SQLException {
    ConnectionTarget where = ConnectionTarget.of(config.primary(), database, config.primary().user());
    return connector.open(where, secrets.resolve(config.primary().passwordRef()));
  }

  private static <T> List<T> first(List<T> all) {
    return List.copyOf(all.subList(0, Math.min(LIMIT, all.size())));
  }

  private static List<Integer> ints(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    List<Integer> values = new ArrayList<>();
    for (Object o : (Object[]) array.getArray()) {
      values.add(((Number) o).intValue());
    }
    return values;
  }

  private static void requireThreshold(int thresholdSeconds) {
    if (thresholdSeconds < 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the slow-query threshold must not be negative, got " + thresholdSeconds + " s", "InvalidSlowQueryRequest");
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing after the work is done or failed: nothing to add
      }
    }
  }

  private static OffsetDateTime time(String rfc3339) {
    return rfc3339 == null ? null : OffsetDateTime.parse(rfc3339);
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}

package io.pgrunbooks.activities.pitr;

import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.pitr.PitrActivities;
import io.pgrunbooks.workflows.pitr.PitrRequest;
import io.pgrunbooks.workflows.pitr.RecoveryPlan;
import io.pgrunbooks.workflows.pitr.RecoveryPoint;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/** The PITR steps. See {@link PitrActivities} for what each promises. */
@Component
public class PitrActivitiesImpl implements PitrActivities {
  private final TargetRegistry targets;
  private final ClusterHostings hostings;
  private final PostgresConnector connector;
  private final RecoveryPlanner planner;
  private final RecoveryFollower follower;

  public PitrActivitiesImpl(TargetRegistry targets, ClusterHostings hostings, PostgresConnector connector) {
    this.targets = targets;
    this.hostings = hostings;
    this.connector = connector;
    this.planner = new RecoveryPlanner(connector);
    this.follower = new RecoveryFollower(connector);
  }

  @Override
  public RecoveryPlan planRecovery(PitrRequest request, String label) {
    return planner.plan(request, label, targets.get(request.target()));
  }

  @Override
  public String stopDatabase(RecoveryPlan plan) {
    TargetConfig config = targets.get(plan.target());
    return hostings.of(config).stopServer(config, heartbeat());
  }

  @Override
  public String moveDataDirectoryAside(RecoveryPlan plan) {
    TargetConfig config = targets.get(plan.target());
    if (hostings.of(config).serverRunning(config) && !Files.exists(Path.of(plan.asideDirectory()))) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the server of " + plan.target() + " runs again: refusing to move its data directory", "ServerRunning");
    }
    String aside = PitrDirectories.moveAside(plan.dataDirectory(), plan.asideDirectory());
    PitrDirectories.createAs(config.host().osUser(), plan.workDirectory());
    return aside;
  }

  @Override
  public void restoreBackup(RecoveryPlan plan) {
    if (PitrDirectories.marked(plan.workDirectory(), PitrDirectories.RESTORED)) {
      return; // an earlier attempt completed the restore (and the server may be recovering from it)
    }
    if (!Files.isDirectory(Path.of(plan.asideDirectory()))) {
      throw ApplicationFailure.newNonRetryableFailure(
          plan.asideDirectory() + " does not exist: refusing to restore over a data directory that was not moved aside",
          "DataDirectoryNotMovedAside");
    }
    TargetConfig config = targets.get(plan.target());
    PitrDirectories.createAs(config.host().osUser(), plan.dataDirectory());
    // Files there now come from a killed attempt (the data directory was moved aside before this
    // step): pgBackRest's delta restore checks and completes them. One killed before it wrote
    // PG_VERSION or backup.manifest is refused by --delta; it is only our partial output: start over.
    boolean partial = !PitrDirectories.isEmpty(plan.dataDirectory());
    if (partial && !PitrDirectories.deltaCanResume(plan.dataDirectory())) {
      PitrDirectories.clear(plan.dataDirectory());
      partial = false;
    }
    new PgBackRest(config)
        .restore(
            plan.dataDirectory(), plan.backupSet(), RecoveryPlanner.format(Instant.parse(plan.targetTime())), partial,
            heartbeat());
    PitrDirectories.mark(plan.workDirectory(), PitrDirectories.RESTORED, plan.backupSet() + " to " + plan.targetTime() + "\n");
  }

  @Override
  public void startDatabase(RecoveryPlan plan) {
    TargetConfig config = targets.get(plan.target());
    if (!PitrDirectories.marked(plan.workDirectory(), PitrDirectories.RESTORED)) {
      throw ApplicationFailure.newNonRetryableFailure("the restore has not completed: not starting", "RestoreIncomplete");
    }
    hostings.of(config)
        .startServer(
            config, Path.of(plan.workDirectory(), RecoveryFollower.SERVER_LOG).toString(),
            PitrDirectories.serverOptions(plan.asideDirectory()));
  }

  @Override
  public RecoveryPoint followRecovery(RecoveryPlan plan) {
    TargetConfig config = targets.get(plan.target());
    return follower.follow(plan, config, hostings.of(config), heartbeat());
  }

  @Override
  public String runCheckQuery(RecoveryPlan plan, String database, String sql) {
    String statement = sql == null ? "" : sql.strip().replaceAll(";+$", "").strip();
    if (statement.isEmpty() || statement.contains(";")) {
      throw PitrFailures.invalid("the check query must be one statement (no ';' inside)");
    }
    TargetConfig config = targets.get(plan.target());
    Endpoint primary = config.primary();
    Endpoint endpoint =
        database == null || database.isBlank()
            ? primary
            : new Endpoint(ConnectionTarget.of(primary, database, primary.user()).jdbcUrl(), primary.user(), primary.passwordRef());
    try (Connection c = connector.open(endpoint)) {
      // Read-only, with a query run first so the check cannot switch the transaction to read-write;
      // rolled back whatever it did.
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try (Statement st = c.createStatement()) {
        st.execute("select 1");
        try (ResultSet rs = st.executeQuery(statement)) {
          String value = rs.next() ? String.valueOf(rs.getString(1)) : "(no rows)";
          return value.length() > 500 ? value.substring(0, 500) + "…" : value;
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, plan.target());
    }
  }

  private static Consumer<String> heartbeat() {
    var context = Activity.getExecutionContext();
    return context::heartbeat;
  }
}

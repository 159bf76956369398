package io.pgrunbooks.activities.maintenance;

import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.RequestedDatabases;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.maintenance.DatabaseMaintenance;
import io.pgrunbooks.workflows.maintenance.MaintenanceActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** See {@link MaintenanceActivities}. */
@Component
public class MaintenanceActivitiesImpl implements MaintenanceActivities {
  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final SecretResolver secrets;

  public MaintenanceActivitiesImpl(TargetRegistry targets, PostgresConnector connector, SecretResolver secrets) {
    this.targets = targets;
    this.connector = connector;
    this.secrets = secrets;
  }

  @Override
  public List<String> databasesToMaintain(String target, List<String> requested) {
    return RequestedDatabases.of(target, targets.get(target), requested, "InvalidMaintenanceRequest");
  }

  @Override
  public DatabaseMaintenance vacuumAnalyze(String target, String database) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // Resume after the last table a previous attempt finished (its heartbeat says how many).
    int resumeAt = context.getHeartbeatDetails(Integer.class).orElse(0);
    TargetConfig config = targets.get(target);
    long started = System.nanoTime();
    ConnectionTarget where = ConnectionTarget.of(config.primary(), database, config.primary().user());
    try (Connection c = connector.open(where, secrets.resolve(config.primary().passwordRef()));
        Statement st = c.createStatement()) {
      st.execute("set statement_timeout = 0"); // a large table's VACUUM takes as long as it takes
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(
          """
          select format('%I.%I', n.nspname, c.relname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where c.relkind in ('r', 'm') and n.nspname not in ('pg_catalog', 'information_schema')
             and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
           order by 1
          """)) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (int i = resumeAt; i < tables.size(); i++) {
        st.execute("vacuum (analyze) " + tables.get(i)); // already quoted by format('%I.%I')
        context.heartbeat(i + 1);
      }
      return new DatabaseMaintenance(database, tables.size(), (System.nanoTime() - started) / 1_000_000, null);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }
}

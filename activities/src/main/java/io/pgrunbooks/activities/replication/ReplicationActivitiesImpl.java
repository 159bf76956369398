package io.pgrunbooks.activities.replication;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.replication.ArchiverStatus;
import io.pgrunbooks.workflows.replication.LagSample;
import io.pgrunbooks.workflows.replication.Lsn;
import io.pgrunbooks.workflows.replication.PortCheck;
import io.pgrunbooks.workflows.replication.PrimaryReplication;
import io.pgrunbooks.workflows.replication.Reinitialization;
import io.pgrunbooks.workflows.replication.ReplicaStatus;
import io.pgrunbooks.workflows.replication.ReplicationActivities;
import io.pgrunbooks.workflows.replication.SlotStatus;
import io.pgrunbooks.workflows.replication.StandbyStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Scenario 3 against the target's primary and replicas. Queries suit PostgreSQL 13 to 17
 * (pg_replication_slots.wal_status is 13+; pg_stat_replication's *_lag columns are 10+). A replica
 * that cannot be reached is a fact of the diagnosis, never a failure of the step.
 */
@Component
public class ReplicationActivitiesImpl implements ReplicationActivities {
  /** Milliseconds a TCP connect may take before the port counts as unreachable. */
  static final int CONNECT_TIMEOUT_MILLIS = 3000;

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final HostReplicas host;
  private final KubernetesReplicas kubernetes;

  public ReplicationActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, SecretResolver secrets, Supplier<KubernetesClient> kubernetes) {
    this.targets = targets;
    this.connector = connector;
    this.host = new HostReplicas(connector, secrets);
    this.kubernetes = new KubernetesReplicas(kubernetes);
  }

  @Override
  public PrimaryReplication checkReplicationLag(String target) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary())) {
      String lsn = currentLsn(c, target);
      List<StandbyStatus> standbys = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
              """
              select pid, application_name, host(client_addr), state, sync_state,
                     sent_lsn::text, write_lsn::text, flush_lsn::text, replay_lsn::text,
                     pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,
                     extract(epoch from write_lag)::float8, extract(epoch from flush_lag)::float8,
                     extract(epoch from replay_lag)::float8
                from pg_stat_replication order by application_name, pid
              """);
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          standbys.add(new StandbyStatus(
              rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
              rs.getString(7), rs.getString(8), rs.getString(9), rs.getObject(10, Long.class), rs.getObject(11, Double.class),
              rs.getObject(12, Double.class), rs.getObject(13, Double.class)));
        }
      }
      List<SlotStatus> slots = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
              """
              select slot_name, active, restart_lsn::text, wal_status,
                     pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint
                from pg_replication_slots where slot_type = 'physical' order by slot_name
              """);
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          slots.add(new SlotStatus(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), rs.getObject(5, Long.class)));
        }
      }
      return new PrimaryReplication(config.hosting(), lsn, standbys, slots);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public List<ReplicaStatus> checkReplicaStatus(String target, String replica, String primaryLsn) {
    TargetConfig config = targets.get(target);
    ReplicaHosting hosting = hosting(config);
    List<ReplicaStatus> statuses = new ArrayList<>();
    for (Replica r : Replica.of(config, target, replica)) {
      String endpoint = PostgresConnector.describe(r.endpoint());
      Boolean running = hosting.serverRunning(config, r);
      String podUid = hosting.podUid(config, r);
      String blocker = hosting.reinitializeBlocker(config, r);
      String slot = r.placement() == null ? null : r.placement().slot();
      String dataDirectory = config.hosting() == Hosting.HOST && r.placement() != null ? r.placement().dataDirectory() : null;
      String pod = config.hosting() == Hosting.KUBERNETES && r.placement() != null && r.placement().pod() != null
          ? config.kubernetes().namespace() + "/" + r.placement().pod() : null;
      boolean walRemoved = hosting.logSaysWalRemoved(config, r);
      try (Connection c = connector.open(r.endpoint());
          PreparedStatement st = c.prepareStatement(
              """
              select pg_is_in_recovery(), pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text,
                     pg_last_xact_replay_timestamp(), (select status from pg_stat_wal_receiver),
                     case when pg_is_in_recovery() then pg_is_wal_replay_paused() else false end
              """);
          ResultSet rs = st.executeQuery()) {
        rs.next();
        String replay = rs.getString(3);
        statuses.add(new ReplicaStatus(
            r.name(), endpoint, true, null, running, podUid, rs.getBoolean(1), rs.getString(2), replay,
            utc(rs.getObject(4, OffsetDateTime.class)), rs.getString(5), rs.getBoolean(6), Lsn.diff(primaryLsn, replay),
            slot, walRemoved, dataDirectory, pod, blocker));
      } catch (SQLException e) {
        statuses.add(new ReplicaStatus(
            r.name(), endpoint, false, e.getMessage(), running, podUid, null, null, null, null, null, null, null,
            slot, walRemoved, dataDirectory, pod, blocker));
      }
    }
    return statuses;
  }

  @Override
  public List<PortCheck> checkConnectivity(String target) {
    TargetConfig config = targets.get(target);
    List<PortCheck> checks = new ArrayList<>();
    checks.add(connect("primary", config.primary()));
    for (Replica r : Replica.of(config, target, null)) {
      checks.add(connect(r.name(), r.endpoint()));
    }
    return checks;
  }

  @Override
  public ArchiverStatus checkWalArchiving(String target) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary());
        PreparedStatement st = c.prepareStatement(
            """
            select current_setting('archive_mode'), archived_count, last_archived_wal, last_archived_time,
                   failed_count, last_failed_wal, last_failed_time,
                   coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false)
              from pg_stat_archiver
            """);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return new ArchiverStatus(
          rs.getString(1), rs.getLong(2), rs.getString(3), utc(rs.getObject(4, OffsetDateTime.class)), rs.getLong(5),
          rs.getString(6), utc(rs.getObject(7, OffsetDateTime.class)), rs.getBoolean(8));
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public String startReplica(String target, String replica, String podUid) {
    TargetConfig config = targets.get(target);
    return hosting(config).start(config, Replica.named(config, target, replica), podUid);
  }

  @Override
  public String resumeReplay(String target, String replica) {
    TargetConfig config = targets.get(target);
    Replica r = Replica.named(config, target, replica);
    try (Connection c = connector.open(r.endpoint())) {
      c.setReadOnly(false);
      try (PreparedStatement st = c.prepareStatement(
              "select pg_is_in_recovery() and pg_is_wal_replay_paused()");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return "replay on " + r.name() + " is not paused (resumed already, or no longer in recovery): nothing done";
        }
      }
      try (PreparedStatement st = c.prepareStatement("select pg_wal_replay_resume()")) {
        st.execute();
      }
      return "resumed WAL replay on " + r.name() + " (pg_wal_replay_resume())";
    } catch (SQLException e) {
      throw SqlFailures.of(e, target + " replica " + r.name());
    }
  }

  @Override
  public Reinitialization reinitializeReplica(String target, String replica, String stamp) {
    TargetConfig config = targets.get(target);
    // Heartbeats carry pg_basebackup's latest progress line (only the host copies; the context is taken when it does).
    return hosting(config).reinitialize(
        config, Replica.named(config, target, replica), stamp, line -> Activity.getExecutionContext().heartbeat(line));
  }

  @Override
  public LagSample sampleLag(String target, String replica) {
    TargetConfig config = targets.get(target);
    Replica r = Replica.named(config, target, replica);
    String primaryLsn;
    try (Connection c = connector.open(config.primary())) {
      primaryLsn = currentLsn(c, target);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    String at = Instant.now().toString();
    try (Connection c = connector.open(r.endpoint());
        PreparedStatement st = c.prepareStatement(
            "select (select status from pg_stat_wal_receiver), pg_last_wal_replay_lsn()::text");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return new LagSample(at, true, rs.getString(1), primaryLsn, rs.getString(2), Lsn.diff(primaryLsn, rs.getString(2)));
    } catch (SQLException e) {
      return new LagSample(at, false, null, primaryLsn, null, null);
    }
  }

  private ReplicaHosting hosting(TargetConfig config) {
    return config.hosting() == Hosting.KUBERNETES ? kubernetes : host;
  }

  private static String currentLsn(Connection c, String target) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
            "select pg_is_in_recovery(), case when pg_is_in_recovery() then null else pg_current_wal_lsn()::text end");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      if (rs.getBoolean(1)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "target " + target + "'s primary endpoint is in recovery: it is a standby, not the primary (after a failover,"
                + " point primary.jdbc-url at the new primary)", "NotPrimary");
      }
      return rs.getString(2);
    }
  }

  private static PortCheck connect(String name, Endpoint endpoint) {
    String address = PostgresConnector.describe(endpoint);
    int colon = address.lastIndexOf(':');
    String hostName = colon < 0 ? address : address.substring(0, colon);
    int port = colon < 0 ? 5432 : Integer.parseInt(address.substring(colon + 1));
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(hostName, port), CONNECT_TIMEOUT_MILLIS);
      return new PortCheck(name, address, true, (System.nanoTime() - start) / 1_000_000, null);
    } catch (IOException e) {
      return new PortCheck(name, address, false, (System.nanoTime() - start) / 1_000_000, e.toString());
    }
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}

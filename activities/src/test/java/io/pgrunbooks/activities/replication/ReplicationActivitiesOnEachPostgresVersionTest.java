package io.pgrunbooks.activities.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.ReplicationSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.harness.StreamingReplica;
import io.pgrunbooks.workflows.replication.ArchiverStatus;
import io.pgrunbooks.workflows.replication.LagSample;
import io.pgrunbooks.workflows.replication.PortCheck;
import io.pgrunbooks.workflows.replication.PrimaryReplication;
import io.pgrunbooks.workflows.replication.ReplicaStatus;
import io.pgrunbooks.workflows.replication.ReplicationActivities;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 3's SQL on each PostgreSQL major available here, one primary per version: first the
 * primary alone, then with a streaming standby (pg_basebackup where the bin directory has it, the
 * backup functions where it does not, as in zonky's 13 and 17 bundles) on a slot, its replay paused
 * and resumed.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationActivitiesOnEachPostgresVersionTest {
  static PostgresCluster primary;

  /** The major under test (the lifecycle methods receive it once the class declares it). */
  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    primary = PostgresVersions.start("replication", major, Map.of());
    primary.execute("postgres", "create table events (id bigint primary key)");
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    primary.close();
  }

  @Test
  @Order(1)
  void aPrimaryWithoutReplicasHasNoStandbysAndNoArchiving() {
    try (ActivityStubs stubs = new ActivityStubs(activities(HostTargets.of(primary, List.of("postgres"))))) {
      ReplicationActivities replication = stubs.stub(ReplicationActivities.class);

      PrimaryReplication lag = replication.checkReplicationLag("pg");
      ArchiverStatus archiver = replication.checkWalArchiving("pg");

      assertThat(lag.currentLsn()).matches("[0-9A-F]+/[0-9A-F]+");
      assertThat(lag.standbys()).isEmpty();
      assertThat(lag.slots()).isEmpty();
      assertThat(archiver.archiveMode()).isEqualTo("off");
      assertThat(archiver.archivedCount()).isZero();
      assertThat(archiver.failedCount()).isZero();
      assertThat(archiver.stuck()).isFalse();
      assertThat(replication.checkReplicaStatus("pg", null, lag.currentLsn())).isEmpty();
    }
  }

  @Test
  @Order(2)
  void aStreamingStandbyOnASlotIsSeenFromBothSidesAndItsPausedReplayIsResumed() throws Exception {
    try (StreamingReplica standby = StreamingReplica.start(primary, "standby_one", "standby_one_slot");
        ActivityStubs stubs = new ActivityStubs(activities(withReplica(standby)));
        ClientSessions sessions = new ClientSessions(primary)) {
      ReplicationActivities replication = stubs.stub(ReplicationActivities.class);
      primary.execute("postgres", "insert into events select generate_series(1, 1000)");
      awaitReplayed(sessions);

      PrimaryReplication lag = replication.checkReplicationLag("pg");

      assertThat(lag.standbys()).as(lag.toString()).singleElement().satisfies(s -> {
        assertThat(s.applicationName()).isEqualTo("standby_one");
        assertThat(s.clientAddr()).isEqualTo("127.0.0.1");
        assertThat(s.state()).isEqualTo("streaming");
        assertThat(s.syncState()).isEqualTo("async");
        assertThat(s.replayLsn()).isNotNull();
        assertThat(s.lagBytes()).isNotNull().isGreaterThanOrEqualTo(0);
      });
      assertThat(lag.slots()).singleElement().satisfies(s -> {
        assertThat(s.name()).isEqualTo("standby_one_slot");
        assertThat(s.active()).isTrue();
        assertThat(s.walStatus()).isEqualTo("reserved");
      });
      List<ReplicaStatus> statuses = replication.checkReplicaStatus("pg", null, lag.currentLsn());
      assertThat(statuses).singleElement().satisfies(r -> {
        assertThat(r.reachable()).as(r.error()).isTrue();
        assertThat(r.serverRunning()).isTrue();
        assertThat(r.inRecovery()).isTrue();
        assertThat(r.walReceiverStatus()).isEqualTo("streaming");
        assertThat(r.replayPaused()).isFalse();
        assertThat(r.lagBytes()).isNotNull().isLessThan(1024 * 1024);
        assertThat(r.lastReplayTime()).endsWith("Z");
        assertThat(r.walRemoved()).isFalse();
      });
      LagSample sample = replication.sampleLag("pg", "standby_one");
      assertThat(sample.reachable()).isTrue();
      assertThat(sample.walReceiverStatus()).isEqualTo("streaming");
      assertThat(replication.checkConnectivity("pg")).extracting(PortCheck::open).containsExactly(true, true);

      try (Connection c = standby.connect("postgres"); Statement st = c.createStatement()) {
        st.execute("select pg_wal_replay_pause()");
      }
      assertThat(replication.checkReplicaStatus("pg", "standby_one", lag.currentLsn()))
          .singleElement().satisfies(r -> assertThat(r.replayPaused()).isTrue());
      assertThat(replication.resumeReplay("pg", "standby_one")).isEqualTo("resumed WAL replay on standby_one (pg_wal_replay_resume())");
      assertThat(replication.checkReplicaStatus("pg", "standby_one", lag.currentLsn()))
          .singleElement().satisfies(r -> assertThat(r.replayPaused()).isFalse());
      assertThat(replication.resumeReplay("pg", "standby_one")).contains("is not paused");
    } finally {
      primary.execute("postgres", "select pg_drop_replication_slot(slot_name) from pg_replication_slots where not active");
    }
  }

  /** Until the standby has replayed everything the primary wrote. */
  private static void awaitReplayed(ClientSessions sessions) throws Exception {
    sessions.awaitTrue("postgres",
        "select coalesce(bool_and(replay_lsn = pg_current_wal_lsn()), false) from pg_stat_replication");
  }

  private static TargetConfig withReplica(StreamingReplica replica) {
    TargetConfig plain = HostTargets.of(primary, List.of("postgres"));
    return new TargetConfig(
        plain.hosting(), plain.primary(), List.of(replica.endpoint()), plain.databases(), plain.applicationDeployments(),
        plain.kubernetes(), plain.host(), plain.thresholds(), plain.backup(), plain.restore(), plain.pitr(),
        plain.applicationHealthUrls(), new ReplicationSettings(null, null, List.of(replica.placement())));
  }

  private static ReplicationActivitiesImpl activities(TargetConfig target) {
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    return new ReplicationActivitiesImpl(new TargetRegistry(new TargetsProperties(Map.of("pg", target))),
        new PostgresConnector(secrets), secrets, HostTargets.NO_KUBERNETES);
  }
}

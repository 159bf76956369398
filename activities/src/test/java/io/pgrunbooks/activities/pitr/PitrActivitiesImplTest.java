package io.pgrunbooks.activities.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PgBackRestRepo;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.pitr.PitrActivities;
import io.pgrunbooks.workflows.pitr.PitrRequest;
import io.pgrunbooks.workflows.pitr.RecoveryPlan;
import io.pgrunbooks.workflows.pitr.RecoveryPoint;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The PITR steps against a real PostgreSQL 15 cluster archiving into a real pgBackRest stanza.
 * One cluster serves the class: the rejections first (they must leave it untouched), then the
 * recovery, then the broken archive (which leaves archiving stopped).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PitrActivitiesImplTest {
  static PgBackRestRepo repo;
  static PostgresCluster cluster;
  static Instant beforeBackup;
  static final List<Instant> rows = new ArrayList<>();

  TestActivityEnvironment env;
  PitrActivities pitr;

  @BeforeAll
  static void clusterWithArchive() {
    repo = PgBackRestRepo.create("pitr");
    cluster = PostgresCluster.start("pitr", repo.serverSettings());
    repo.attach(cluster);
    cluster.execute("postgres", "create table events (id int primary key, at timestamptz not null)");
    beforeBackup = serverTime("select clock_timestamp()");
    sleep(1_100);
    repo.fullBackup();
    // Rows at known times, a second apart; the time is taken inside each row's own transaction.
    for (int id = 1; id <= 4; id++) {
      rows.add(serverTime("insert into events values (" + id + ", clock_timestamp()) returning at"));
      sleep(1_000);
    }
    PgBackRestRepo.switchWalAndWait(cluster);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    repo.close();
  }

  @BeforeEach
  void activities() {
    TargetRegistry registry =
        new TargetRegistry(new TargetsProperties(Map.of("link", HostTargets.withPitr(cluster, repo.settings()))));
    PostgresConnector connector = new PostgresConnector(new SecretResolver(() -> null));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new PitrActivitiesImpl(registry, new ClusterHostings(List.of(new LocalClusterHosting())), connector));
    pitr =
        env.newActivityStub(
            PitrActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  @Order(1)
  void aTargetBeforeTheFirstBackupIsRejectedBeforeAnythingStops() {
    assertRejectedUntouched(beforeBackup, "before the end of the earliest usable backup");
  }

  @Test
  @Order(2)
  void aTargetInTheFutureIsRejectedBeforeAnythingStops() {
    assertRejectedUntouched(Instant.now().plusSeconds(3600), "not in the past");
  }

  @Test
  @Order(3)
  void recoveryKeepsExactlyTheRowsCommittedBeforeTheTargetAndTheOldDataDirectory() throws Exception {
    Instant target = rows.get(1).plusMillis(500); // between rows 2 and 3
    RecoveryPlan plan = pitr.planRecovery(request(target), label());
    assertThat(plan.window().closesAt()).as("the seal made the archive end now").isNotNull();
    assertThat(Instant.parse(plan.window().opensAt())).isAfter(beforeBackup);

    pitr.stopDatabase(plan);
    String aside = pitr.moveDataDirectoryAside(plan);
    // A worker killed so early that pgBackRest had written neither PG_VERSION nor backup.manifest:
    // --delta refuses such a directory, so the retry clears its own partial output and starts over.
    Path early = Path.of(plan.dataDirectory(), "base", "1");
    io.pgrunbooks.harness.Processes.run(io.pgrunbooks.harness.Processes.as("postgres",
        List.of("sh", "-c", "mkdir -p '" + early + "' && echo partial > '" + early.resolve("16384") + "'")), null, java.time.Duration.ofSeconds(10));
    assertThat(early.resolve("16384")).exists();
    pitr.restoreBackup(plan);
    // A worker killed after pgBackRest finished but before it wrote the marker: the retry finds
    // a full data directory and completes it with a delta restore instead of failing on it.
    Files.delete(Path.of(plan.workDirectory(), "restored"));
    pitr.restoreBackup(plan);
    pitr.startDatabase(plan);
    RecoveryPoint point = pitr.followRecovery(plan);

    assertThat(pitr.runCheckQuery(plan, null, "select string_agg(id::text, ',' order by id) from events;"))
        .isEqualTo("1,2");
    assertThat(Instant.parse(point.stoppedBeforeCommitAt())).isAfter(target).isAfter(rows.get(2));
    assertThat(Instant.parse(point.lastReplayedCommitAt())).isBeforeOrEqualTo(target).isAfter(rows.get(1));
    assertThat(point.timeline()).isEqualTo(2);
    assertThat(Path.of(aside)).isEqualTo(Path.of(plan.asideDirectory()));
    assertThat(Path.of(aside, "PG_VERSION")).as("the old data directory is kept").exists();
    assertThat(Path.of(plan.dataDirectory(), "recovery.conf")).doesNotExist();
    assertThat(Files.readString(Path.of(plan.dataDirectory(), "postgresql.auto.conf"))).contains("recovery_target_time");

    // Retries find the work done and do nothing twice: the restored directory is not moved aside.
    assertThat(pitr.moveDataDirectoryAside(plan)).isEqualTo(aside);
    pitr.restoreBackup(plan);
    pitr.startDatabase(plan);
    assertThat(pitr.runCheckQuery(plan, "postgres", "select count(*) from events")).isEqualTo("2");
  }

  @Test
  @Order(4)
  void aTargetAfterTheLastArchivedCommitIsRejectedBeforeAnythingStops() {
    repo.archiveWritable(false); // archive-push now fails: the archive ends here
    cluster.execute("postgres", "insert into events values (99, clock_timestamp())");
    sleep(300);
    assertRejectedUntouched(Instant.now().minusMillis(100), "not covered by archived WAL");
  }

  private void assertRejectedUntouched(Instant target, String why) {
    long pid = cluster.postmasterPid();
    List<String> before = siblings();
    long started = System.nanoTime();
    assertThatThrownBy(() -> pitr.planRecovery(request(target), label()))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining(why)
        .hasMessageContaining("recoverable window of stanza pitr: from ")
        .satisfies(f -> assertThat(((ApplicationFailure) f).getType()).isEqualTo("TargetOutsideWindow"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(cluster.postmasterPid()).as("the server still runs").isEqualTo(pid);
    assertThat(serverTime("select now()")).isNotNull();
    assertThat(siblings()).as("nothing moved or created beside the data directory").isEqualTo(before);
  }

  private static List<String> siblings() {
    try (Stream<Path> siblings = Files.list(cluster.dataDirectory().getParent())) {
      return siblings.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static PitrRequest request(Instant target) {
    return new PitrRequest("link", target.toString(), null, null, false, "alice");
  }

  private static String label() {
    return DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
  }

  private static Instant serverTime(String sql) {
    try (var c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}

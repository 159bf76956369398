package io.pgrunbooks.activities.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.serverfiles.HostShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.disk.BloatedTable;
import io.pgrunbooks.workflows.disk.DiskActivities;
import io.pgrunbooks.workflows.disk.DiskBreakdown;
import io.pgrunbooks.workflows.disk.ReplicationSlotRetention;
import io.pgrunbooks.workflows.disk.SizedEntry;
import io.pgrunbooks.workflows.disk.TableVacuum;
import io.pgrunbooks.workflows.disk.WalRetention;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 5's SQL on each PostgreSQL major available here, one cluster per version: WAL held back
 * by an unused physical slot and a logical one, database sizes, the largest tables, and a
 * VACUUM FULL that gives back the space of deleted rows.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class DiskActivitiesOnEachPostgresVersionTest {
  static PostgresCluster cluster;
  static ActivityStubs stubs;
  static DiskActivities disk;

  /** The major under test (the lifecycle methods receive it once the class declares it). */
  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("disk", major, Map.of("wal_level", "logical"));
    cluster.execute("postgres", "create database app_db");
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    stubs = new ActivityStubs(new DiskActivitiesImpl(HostTargets.registry("pg", cluster, List.of("app_db")),
        new PostgresConnector(secrets), secrets, new ClusterHostings(List.of(new LocalClusterHosting())),
        new ServerShells(List.of(new HostShell())), HostTargets.NO_KUBERNETES));
    disk = stubs.stub(DiskActivities.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    stubs.close();
    cluster.close();
  }

  @Test
  void unusedSlotsHoldBackWalAndSayHowMuch() {
    cluster.execute("postgres", "select pg_create_physical_replication_slot('gone_replica', true)");
    cluster.execute("app_db", "select pg_create_logical_replication_slot('gone_consumer', 'test_decoding')");
    cluster.execute("app_db", "create table filler (id int, payload text)",
        "insert into filler select g, repeat('x', 200) from generate_series(1, 20000) g", "select pg_switch_wal()",
        "drop table filler"); // the WAL stays held back; the table would be among the largest

    WalRetention wal = disk.checkWalRetention("pg");

    assertThat(wal.slots()).as(wal.toString()).extracting(ReplicationSlotRetention::name)
        .containsExactlyInAnyOrder("gone_replica", "gone_consumer");
    assertThat(wal.slots()).allSatisfy(s -> {
      assertThat(s.active()).isFalse();
      assertThat(s.walStatus()).isEqualTo("reserved");
      assertThat(s.retainedBytes()).isGreaterThan(4_000_000);
    });
    assertThat(wal.slots()).filteredOn(s -> s.name().equals("gone_consumer")).singleElement().satisfies(s -> {
      assertThat(s.type()).isEqualTo("logical");
      assertThat(s.database()).isEqualTo("app_db");
    });
    assertThat(wal.walSegments()).isGreaterThanOrEqualTo(1);
    assertThat(wal.walBytes()).isGreaterThanOrEqualTo(16L * 1024 * 1024);
    assertThat(wal.archiveMode()).isEqualTo("off");
    assertThat(wal.archivingStuck()).isFalse();
    assertThat(wal.walKeepSize()).isEqualTo("0");
    assertThat(wal.maxSlotWalKeepSize()).isEqualTo("-1");

    assertThat(disk.dropReplicationSlot("pg", "gone_replica")).isEqualTo("dropped");
    assertThat(disk.dropReplicationSlot("pg", "gone_consumer")).isEqualTo("dropped");
    assertThat(disk.checkWalRetention("pg").slots()).isEmpty();
  }

  @Test
  void theLargestTablesAreListedAndVacuumFullGivesBackTheSpaceOfDeletedRows() {
    cluster.execute("app_db", "create table big (id int, payload text) with (autovacuum_enabled = false)",
        "insert into big select g, repeat('y', 200) from generate_series(1, 20000) g",
        "create table small (id int)", "insert into small values (1)",
        "delete from big where id > 2000");

    DiskBreakdown breakdown = disk.measureDiskUsage("pg");
    List<BloatedTable> largest = disk.findLargestTables("pg");

    assertThat(breakdown.databases()).extracting(SizedEntry::name).contains("postgres", "app_db", "template1");
    assertThat(breakdown.databases()).allSatisfy(d -> assertThat(d.bytes()).isPositive());
    assertThat(breakdown.dataDirectory()).extracting(SizedEntry::name).contains("base");
    assertThat(largest).first().satisfies(t -> {
      assertThat(t.table()).isEqualTo("big");
      assertThat(t.database()).isEqualTo("app_db");
      assertThat(t.totalBytes()).isGreaterThan(4_000_000);
    });
    assertThat(largest).extracting(BloatedTable::table).contains("small");

    List<TableVacuum> vacuumed = disk.vacuumTables("pg", List.of(largest.get(0)), true);

    assertThat(vacuumed).singleElement().satisfies(v -> {
      assertThat(v.skipped()).isNull();
      assertThat(v.bytesAfter()).isLessThan(v.bytesBefore() / 4);
    });
  }
}

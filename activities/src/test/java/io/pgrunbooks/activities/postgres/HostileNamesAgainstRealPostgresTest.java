package io.pgrunbooks.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.kubernetes.KubernetesNames;
import io.pgrunbooks.activities.targets.RequestedDatabases;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.common.ObjectKeys;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile names of every kind that reaches SQL or a command line, against a real PostgreSQL: a
 * quoted name is one name and runs nothing (the table "users" is still there, no pg_sleep ran);
 * a name that must not reach a server at all (a database the target does not list, a pod or
 * namespace, an object key that climbs out of its bucket) is a non-retryable failure that says why.
 */
class HostileNamesAgainstRealPostgresTest {
  private static final String DATABASE = "x\"; drop table users; --";
  private static final String ROLE = "r' or '1'='1";
  private static final String TABLE = "t; select pg_sleep(10)";
  private static PostgresCluster cluster;

  @BeforeAll
  static void start() {
    cluster = PostgresCluster.start("hostile-names", Map.of());
    cluster.execute("postgres", "create database app");
    cluster.execute("app", "create table users (id int primary key)", "insert into users values (1), (2)");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void assertUsersIntact() throws Exception {
    try (Connection c = cluster.connect("app"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from users")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the table users and its rows are still there").isEqualTo(2);
    }
  }

  private static List<String> names(String sql) throws Exception {
    try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<String> names = new java.util.ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }

  @Test
  void aDatabaseNamedLikeAnInjectionIsCreatedAndDroppedAsOneNameAndNothingElseRuns() throws Exception {
    try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
      // as ScratchDatabase and RestoreDatabases build their statements
      st.execute("create database " + Identifiers.quote(DATABASE) + " template template0");
      assertThat(names("select datname from pg_database")).contains(DATABASE, "app");
      assertUsersIntact();
      st.execute("drop database if exists " + Identifiers.quote(DATABASE) + " with (force)");
    }
    assertThat(names("select datname from pg_database")).doesNotContain(DATABASE).contains("app");
    assertUsersIntact();
  }

  @Test
  void aRoleNamedLikeAnInjectionIsGrantedAsOneNameAndNoOtherRoleGetsAnything() throws Exception {
    List<String> before = names("select rolname from pg_roles order by 1");
    try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
      // as BackupFailureActivitiesImpl grants the backup role
      st.execute("create role " + Identifiers.quote(ROLE));
      st.execute("grant connect on database " + Identifiers.quote("app") + " to " + Identifiers.quote(ROLE));
    }
    assertThat(names("select rolname from pg_roles order by 1")).containsExactlyInAnyOrderElementsOf(
        java.util.stream.Stream.concat(before.stream(), java.util.stream.Stream.of(ROLE)).toList());
    assertThat(names("select r.rolname from pg_roles r where has_database_privilege(r.oid, 'app', 'CONNECT') and not r.rolsuper"
        + " and r.rolname not like 'pg\\_%'")).contains(ROLE);
    assertThat(names("select rolname from pg_roles where rolsuper")).doesNotContain(ROLE);
    assertUsersIntact();
  }

  @Test
  void aTableNamedLikeAnInjectionIsReadAsOneNameAndItsSleepNeverRuns() throws Exception {
    try (Connection c = cluster.connect("app"); Statement st = c.createStatement()) {
      st.execute("create table " + Identifiers.qualified("public", TABLE) + " (at timestamptz)");
      Instant start = Instant.now();
      // as DumpSnapshot, RestoredDataChecks and NewestRows read tables from the catalog
      try (ResultSet rs = st.executeQuery("select count(*) from " + Identifiers.qualified("public", TABLE))) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
      assertThat(Duration.between(start, Instant.now())).as("pg_sleep(10) did not run").isLessThan(Duration.ofSeconds(5));
    }
    assertUsersIntact();
  }

  @Test
  void aNulByteIsNoIdentifier() {
    assertThatThrownBy(() -> Identifiers.quote("users\0; drop table users")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDatabaseInAConnectionStringIsOneValueNotMoreSettings() throws Exception {
    // pg_dump, pg_restore and psql get --dbname=<conninfo>: a quote in the name cannot add a setting
    String hostile = "app' dbname='postgres";
    String conninfo = new ConnectionTarget("127.0.0.1", cluster.port(), hostile, "postgres").conninfo();
    ProcessBuilder pb = new ProcessBuilder(cluster.binDir().resolve("psql").toString(), "--no-psqlrc", "--no-password",
        "--dbname=" + conninfo, "--tuples-only", "--command=select current_database()")
        .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", cluster.password());
    Process psql = pb.start();
    psql.getOutputStream().close();
    String out = new String(psql.getInputStream().readAllBytes());
    assertThat(psql.waitFor()).as(out).isNotZero();
    assertThat(out).contains("database \"" + hostile + "\" does not exist");
    assertUsersIntact();
  }

  @ParameterizedTest
  @ValueSource(strings = {DATABASE, "app; drop database app", "-fdump.sql"})
  void aRequestedDatabaseTheTargetDoesNotListIsRefusedBeforeAnyConnection(String database) {
    assertThatThrownBy(() -> RequestedDatabases.of("demo", HostTargets.of(cluster, List.of("app")), List.of(database), "InvalidMaintenanceRequest"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).contains("not databases of target demo").contains(database).contains("[app]");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"p; rm -rf /", "ns/../kube-system", "POD", "p\nq", "$(reboot)"})
  void aPodOrNamespaceThatIsNoKubernetesNameIsRefusedBeforeAnyCall(String name) {
    assertThatThrownBy(() -> KubernetesNames.label(name, "kubernetes.namespace"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).contains("kubernetes.namespace").contains("is not an RFC 1123 label");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "postgres-backups/../../etc/passwd", "/etc/passwd", "a/./b",
      "postgres-backups/manual/x.sql.enc\nforged log line", "a\\..\\b", "k\u0000"})
  void anObjectKeyThatCouldLeaveItsBucketIsRefused(String key) {
    assertThatThrownBy(() -> ObjectKeys.checked(key, "objectKey", "InvalidRestoreRequest"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo("InvalidRestoreRequest");
          assertThat(f.getOriginalMessage()).startsWith("objectKey '").doesNotContain("\n");
        });
  }

  @Test
  void anOrdinaryObjectKeyPasses() {
    String key = "postgres-backups/manual/manual-backup-20261122_101500-link_users.sql.enc";
    assertThat(ObjectKeys.checked(key, "objectKey", "InvalidRestoreRequest")).isEqualTo(key);
  }
}

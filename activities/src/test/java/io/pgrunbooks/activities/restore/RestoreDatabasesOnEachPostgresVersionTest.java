package io.pgrunbooks.activities.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.restore.RestoreNames;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The restore's catalog statements (no pg_restore: zonky's bundles have none) on each PostgreSQL
 * major available here: the copy created like the live database, swapped in while a session is on
 * the live one, described, and dropped WITH (FORCE).
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class RestoreDatabasesOnEachPostgresVersionTest {
  static PostgresCluster cluster;

  /** The major under test (the lifecycle methods receive it once the class declares it). */
  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("restore-catalog", major, Map.of());
    cluster.execute("postgres", "create role app login password 'app'", "create database shop owner app");
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    cluster.close();
  }

  @Test
  void theCopyIsCreatedLikeTheLiveDatabaseSwappedInDescribedAndDropped() throws Exception {
    String copy = RestoreNames.restored("shop", "20250101_120000");
    String pre = RestoreNames.preRestore("shop", "20250101_120000");
    try (Connection admin = cluster.connect("postgres"); Connection onLive = cluster.connect("shop")) {
      RestoreDatabases.createCopy(admin, "shop", copy);
      assertThat(RestoreDatabases.exists(admin, copy)).isTrue();

      String swapped = RestoreDatabases.swap(admin, "shop", copy, pre);

      assertThat(swapped).isEqualTo("renamed shop -> " + pre + " (kept) and " + copy + " -> shop");
      assertThat(onLive.isValid(2)).as("the session on the live database was ended for the renames").isFalse();
      assertThat(RestoreDatabases.swap(admin, "shop", copy, pre)).startsWith("already swapped");
      assertThat(RestoreDatabases.describe(admin, pre)).satisfies(d -> assertThat(d.sizeBytes()).isPositive());
      assertThat(RestoreDatabases.describe(admin, copy)).isNull();
      try (Connection onPre = cluster.connect(pre)) {
        RestoreDatabases.drop(admin, pre);
        assertThat(onPre.isValid(2)).as("DROP DATABASE ... WITH (FORCE) ends its sessions").isFalse();
      }
      assertThat(RestoreDatabases.exists(admin, pre)).isFalse();
    }
    try (Connection c = cluster.connect("postgres");
        var rs = c.createStatement().executeQuery("select pg_get_userbyid(datdba) from pg_database where datname = 'shop'")) {
      rs.next();
      assertThat(rs.getString(1)).as("the copy got the live database's owner").isEqualTo("app");
    }
  }
}

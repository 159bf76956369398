package io.pgrunbooks.harness;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Target configuration for harness clusters, as a worker's application.yml would say it. */
public final class HostTargets {
  /** Host targets need no Kubernetes: a step that asks for it fails the test. */
  public static final Supplier<KubernetesClient> NO_KUBERNETES = () -> {
    throw new IllegalStateException("host targets need no Kubernetes");
  };

  private HostTargets() {}

  /** A registry holding the one host target {@code name}. */
  public static TargetRegistry registry(String name, PostgresCluster cluster, List<String> databases) {
    return new TargetRegistry(new TargetsProperties(Map.of(name, of(cluster, databases))));
  }

  /** The same, its backups going where {@code backup} says. */
  public static TargetRegistry registry(
      String name, PostgresCluster cluster, List<String> databases, TargetConfig.BackupSettings backup) {
    return new TargetRegistry(new TargetsProperties(Map.of(name, of(cluster, databases, backup))));
  }

  public static TargetConfig of(PostgresCluster cluster, List<String> databases) {
    return of(cluster, databases, null);
  }

  /** A host target whose backups go where {@code backup} says. */
  public static TargetConfig of(
      PostgresCluster cluster, List<String> databases, TargetConfig.BackupSettings backup) {
    return new TargetConfig(
        Hosting.HOST,
        new Endpoint(cluster.jdbcUrl("postgres"), "postgres", cluster.passwordRef()),
        List.of(),
        databases,
        List.of(),
        null,
        new HostPlacement(cluster.dataDirectory().toString(), cluster.binDir().toString(), "postgres"),
        null,
        backup);
  }

  /** A host target whose WAL is archived into a pgBackRest stanza (point-in-time recovery). */
  public static TargetConfig withPitr(PostgresCluster cluster, TargetConfig.PitrSettings pitr) {
    TargetConfig plain = of(cluster, List.of());
    return new TargetConfig(
        plain.hosting(), plain.primary(), plain.replicas(), plain.databases(), plain.applicationDeployments(),
        plain.kubernetes(), plain.host(), plain.thresholds(), plain.backup(), plain.restore(), pitr, plain.applicationHealthUrls());
  }

  /** The same, as Spring properties under pgrunbooks.targets.NAME (for a worker process). */
  public static Map<String, String> asProperties(String name, PostgresCluster cluster) {
    String prefix = "pgrunbooks.targets." + name + ".";
    Map<String, String> p = new LinkedHashMap<>();
    p.put(prefix + "hosting", "host");
    p.put(prefix + "primary.jdbc-url", cluster.jdbcUrl("postgres"));
    p.put(prefix + "primary.user", "postgres");
    p.put(prefix + "primary.password-ref", cluster.passwordRef());
    p.put(prefix + "host.data-directory", cluster.dataDirectory().toString());
    p.put(prefix + "host.bin-directory", cluster.binDir().toString());
    p.put(prefix + "host.os-user", "postgres");
    return p;
  }
}

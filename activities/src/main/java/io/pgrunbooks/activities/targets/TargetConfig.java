package io.pgrunbooks.activities.targets;

import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * One PostgreSQL cluster as configured under {@code pgrunbooks.targets.<name>}.
 *
 * @param hosting kubernetes or host
 * @param primary how to reach the primary
 * @param replicas how to reach each replica (may be empty)
 * @param databases the application databases
 * @param applicationDeployments deployments whose logs show the applications' view
 * @param kubernetes where the cluster lives when hosting is kubernetes
 * @param host where the cluster lives when hosting is host
 * @param thresholds limits for the assessment; defaults when absent
 */
public record TargetConfig(
    Hosting hosting,
    Endpoint primary,
    List<Endpoint> replicas,
    List<String> databases,
    List<String> applicationDeployments,
    KubernetesPlacement kubernetes,
    HostPlacement host,
    AssessmentThresholds thresholds) {

  public TargetConfig {
    replicas = replicas == null ? List.of() : List.copyOf(replicas);
    databases = databases == null ? List.of() : List.copyOf(databases);
    applicationDeployments =
        applicationDeployments == null ? List.of() : List.copyOf(applicationDeployments);
    thresholds = thresholds == null ? AssessmentThresholds.defaults() : thresholds;
  }

  /**
   * A JDBC endpoint.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}
   * @param user the role to log in as (monitoring needs pg_monitor or superuser)
   * @param passwordRef where the password is: {@code env:NAME}, {@code file:/path}, or {@code
   *     k8s:namespace/secret/key}; empty for trust or peer authentication
   */
  public record Endpoint(String jdbcUrl, String user, String passwordRef) {}

  /**
   * Kubernetes placement.
   *
   * @param namespace e.g. link-services
   * @param podSelector label selector of the database pods, e.g. {@code app=postgres}
   * @param primaryPod the primary's pod, e.g. postgres-primary-0
   * @param container the PostgreSQL container in that pod (null: the first)
   * @param dataDirectory the data directory inside the container
   * @param volumeMatch PVs whose name or claim contains this belong to the database (seed: "postgres")
   */
  public record KubernetesPlacement(
      String namespace,
      String podSelector,
      String primaryPod,
      String container,
      String dataDirectory,
      String volumeMatch) {}

  /**
   * Host placement: PostgreSQL on this machine.
   *
   * @param dataDirectory the cluster's data directory (PGDATA)
   * @param binDirectory where pg_ctl and friends are, e.g. /usr/lib/postgresql/15/bin
   * @param osUser the operating-system user that owns the cluster (commands run as it)
   */
  public record HostPlacement(String dataDirectory, String binDirectory, String osUser) {}
}

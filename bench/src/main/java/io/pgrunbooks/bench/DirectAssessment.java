package io.pgrunbooks.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.assessment.AssessmentActivitiesImpl;
import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetActivitiesImpl;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.assessment.AssessmentFailures;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.targets.TargetProfile;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The assessment's checks without Temporal, in the workflow's shape: describeTarget; then
 * checkReadiness beside the hosting checks (disk, memory); then the four SQL checks in parallel.
 * Pods, volumes and application logs are not run: the workflow does not schedule them for a host
 * target either. The activity implementations are built
 * by hand as AssessmentAgainstRealPostgresTest does, with the same target configuration the worker
 * gets (HostTargets). The workflow's classification of the findings (pure, microseconds) is left out.
 */
final class DirectAssessment implements AutoCloseable {
  /** What a direct run took, in ms, and how each check ended. */
  record Sample(double totalMs, double describeMs, double readinessMs, double sqlChecksMs, Map<String, String> outcomes) {}

  private final String target;
  private final TargetActivitiesImpl targets;
  private final AssessmentActivitiesImpl checks;
  private final ExecutorService pool = Executors.newFixedThreadPool(9);

  DirectAssessment(String target, PostgresCluster cluster) {
    this.target = target;
    TargetRegistry registry =
        new TargetRegistry(new TargetsProperties(Map.of(target, HostTargets.of(cluster, List.of()))));
    Supplier<KubernetesClient> noKubernetes =
        () -> {
          throw new IllegalStateException("host targets need no Kubernetes");
        };
    PostgresConnector connector = new PostgresConnector(new SecretResolver(noKubernetes));
    this.targets = new TargetActivitiesImpl(registry);
    this.checks =
        new AssessmentActivitiesImpl(
            registry, connector, new ReadinessProbe(connector), new ClusterHostings(List.of(new LocalClusterHosting())));
  }

  Sample run() throws InterruptedException {
    long t0 = System.nanoTime();
    TargetProfile profile = targets.describeTarget(target);
    long t1 = System.nanoTime();
    Map<String, Future<?>> futures = new LinkedHashMap<>();
    futures.put("checkDiskUsage", pool.submit(() -> checks.checkDiskUsage(target)));
    futures.put("checkMemoryUsage", pool.submit(() -> checks.checkMemoryUsage(target)));
    Readiness readiness = checks.checkReadiness(target);
    long t2 = System.nanoTime();
    if (!readiness.accepting()) {
      throw new IllegalStateException("the bench cluster is not accepting connections: " + readiness);
    }
    double slow = profile.thresholds().slowQuerySeconds();
    Map<String, Callable<?>> sql = new LinkedHashMap<>();
    sql.put("checkServerIdentity", () -> checks.checkServerIdentity(target));
    sql.put("checkConnectionUsage", () -> checks.checkConnectionUsage(target));
    sql.put("findLongRunningQueries", () -> checks.findLongRunningQueries(target, slow));
    sql.put("checkReplication", () -> checks.checkReplication(target));
    sql.forEach((name, check) -> futures.put(name, pool.submit(check)));
    Map<String, String> outcomes = new LinkedHashMap<>();
    for (Map.Entry<String, Future<?>> f : futures.entrySet()) {
      outcomes.put(f.getKey(), outcome(f.getValue()));
    }
    long t3 = System.nanoTime();
    return new Sample(ms(t3 - t0), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), outcomes);
  }

  /** "ok", "not applicable", or what stopped the check (e.g. no activity context outside a worker). */
  private static String outcome(Future<?> future) throws InterruptedException {
    try {
      future.get();
      return "ok";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApplicationFailure af && AssessmentFailures.NOT_APPLICABLE.equals(af.getType())) {
        return "not applicable (host hosting)";
      }
      return "not run: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

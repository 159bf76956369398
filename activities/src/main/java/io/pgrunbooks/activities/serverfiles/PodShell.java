package io.pgrunbooks.activities.serverfiles;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.kubernetes.PodExec;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Commands in the primary pod's PostgreSQL container ({@code kubectl exec}) through {@link PodExec}.
 * Only POSIX/busybox options are used: images based on Alpine have no GNU find.
 */
public final class PodShell implements ServerShell {
  /** du of a large data directory may take minutes; find and delete take milliseconds. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** How a command reaches the pod; tests replace it (fabric8's CRUD mock serves no exec). */
  @FunctionalInterface
  public interface Exec {
    OsCommand.Result run(KubernetesPlacement placement, List<String> command);
  }

  private final Exec exec;

  public PodShell(Supplier<KubernetesClient> kubernetes) {
    this((placement, command) -> PodExec.run(kubernetes.get(), placement, TIMEOUT, command));
  }

  public PodShell(Exec exec) {
    this.exec = exec;
  }

  @Override
  public Hosting hosting() {
    return Hosting.KUBERNETES;
  }

  @Override
  public String dataDirectory(TargetConfig target) {
    KubernetesPlacement p = target.kubernetes();
    if (p == null || p.dataDirectory() == null || p.dataDirectory().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("target has no kubernetes.data-directory", "InvalidTarget");
    }
    return ServerShell.stripSlash(p.dataDirectory());
  }

  @Override
  public OsCommand.Result run(TargetConfig target, List<String> command) {
    KubernetesPlacement p = target.kubernetes();
    if (p == null || p.namespace() == null || p.primaryPod() == null || p.primaryPod().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("target needs kubernetes.namespace and kubernetes.primary-pod", "InvalidTarget");
    }
    return exec.run(p, command);
  }
}

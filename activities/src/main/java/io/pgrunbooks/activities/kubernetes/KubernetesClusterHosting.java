package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.PodStatus;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * A cluster running in Kubernetes pods: the seed's {@code kubectl get pods / get pv / top pod /
 * exec df / logs} through fabric8, against the namespace of the target's {@link
 * KubernetesPlacement}. Each step lives in its own class; this one checks the placement and
 * delegates.
 */
@Component
public class KubernetesClusterHosting implements ClusterHosting {
  private final DatabasePods pods;
  private final DatabaseVolumes volumes;
  private final PodResourceUsage resources;
  private final DiskUsageInPod disk;
  private final ApplicationLogScan logs;
  private final StatefulSetScale scale;

  public KubernetesClusterHosting(Supplier<KubernetesClient> kubernetes) {
    this.pods = new DatabasePods(kubernetes);
    this.volumes = new DatabaseVolumes(kubernetes, pods);
    this.resources = new PodResourceUsage(kubernetes);
    this.disk = new DiskUsageInPod(kubernetes);
    this.logs = new ApplicationLogScan(kubernetes);
    this.scale = new StatefulSetScale(kubernetes);
  }

  @Override
  public Hosting hosting() {
    return Hosting.KUBERNETES;
  }

  @Override
  public List<PodStatus> databasePods(TargetConfig target) {
    return pods.statuses(Placements.of(target));
  }

  @Override
  public List<VolumeStatus> persistentVolumes(TargetConfig target) {
    return volumes.statuses(Placements.of(target));
  }

  @Override
  public ResourceUsage memoryUsage(TargetConfig target) {
    return resources.of(Placements.of(target));
  }

  @Override
  public StorageUsage diskUsage(TargetConfig target) {
    return disk.of(Placements.of(target));
  }

  /**
   * {@code kubectl logs --tail --since} of every pod of each named deployment. A name may be
   * {@code namespace/name} for a deployment outside the database's namespace.
   */
  @Override
  public List<LogFinding> applicationLogErrors(
      TargetConfig target, int tailLines, int sinceSeconds, Runnable progress) {
    return logs.scan(
        Placements.of(target).namespace(),
        target.applicationDeployments(),
        tailLines,
        sinceSeconds,
        progress);
  }

  /** The shutdown checkpoint's LSN would need an exec into the (then gone) pod: null. */
  @Override
  public String stopServer(TargetConfig target, Consumer<String> progress) {
    scale.scaleDown(Placements.of(target), progress);
    return null;
  }

  /** Log file and options are the pod's own: the StatefulSet's spec says them. */
  @Override
  public void startServer(TargetConfig target, String logFile, String serverOptions) {
    scale.scaleUp(Placements.of(target));
  }

  @Override
  public boolean serverRunning(TargetConfig target) {
    return scale.podExists(Placements.of(target));
  }
}

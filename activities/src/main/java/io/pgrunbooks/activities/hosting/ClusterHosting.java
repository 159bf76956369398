package io.pgrunbooks.activities.hosting;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.PodStatus;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hosting-level steps of the runbooks. A step that has no meaning for a hosting (pods of a cluster
 * on a host) throws {@link NotApplicable}, which activities report as such.
 */
public interface ClusterHosting {

  /** The hosting this implementation serves. */
  Hosting hosting();

  /** {@code df} of the file system holding the data directory. */
  StorageUsage diskUsage(TargetConfig target);

  /** {@code free -h} / {@code kubectl top pod}. */
  ResourceUsage memoryUsage(TargetConfig target);

  /** {@code kubectl get pods -l <selector> -o wide}. */
  List<PodStatus> databasePods(TargetConfig target);

  /** The persistent volumes that hold the database. */
  List<VolumeStatus> persistentVolumes(TargetConfig target);

  /**
   * Recent log lines of each named application deployment that mention the database, connection
   * errors or timeouts. {@code progress} is called after each deployment (activities heartbeat).
   */
  List<LogFinding> applicationLogErrors(
      TargetConfig target, int tailLines, int sinceSeconds, Runnable progress);

  /**
   * Stops the database server so that its data directory may be moved (host: {@code pg_ctl stop
   * -m fast}; kubernetes: the primary's StatefulSet scaled to 0). Nothing when it is down already.
   * {@code progress} is called every few seconds while it waits.
   *
   * @return the LSN of the shutdown checkpoint, or null where the hosting cannot read it
   */
  String stopServer(TargetConfig target, Consumer<String> progress);

  /**
   * Starts the server (which recovers when its data directory asks for it) without waiting for it
   * to accept connections; nothing when it runs. Host: {@code pg_ctl start -l logFile -o
   * serverOptions}; kubernetes: the StatefulSet scaled to 1 (the pod keeps its own log and options).
   */
  void startServer(TargetConfig target, String logFile, String serverOptions);

  /** Whether the server process runs (host: pg_ctl status; kubernetes: the primary pod exists). */
  boolean serverRunning(TargetConfig target);

  /** Thrown for a step that does not apply to a hosting. */
  final class NotApplicable extends RuntimeException {
    public NotApplicable(String message) {
      super(message);
    }
  }
}

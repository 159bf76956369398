package io.pgrunbooks.activities.crashrecovery;

import io.pgrunbooks.activities.serverfiles.LogSettings;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.crashrecovery.NodeResources;
import io.pgrunbooks.workflows.crashrecovery.RestartOutcome;
import io.pgrunbooks.workflows.crashrecovery.ServerLogs;
import io.pgrunbooks.workflows.crashrecovery.ServerState;
import io.pgrunbooks.workflows.crashrecovery.VolumeState;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** The hosting-level steps of Scenario 1: one implementation for kubernetes, one for a host. */
interface CrashRecoveryHosting {

  Hosting hosting();

  /** kubectl describe pod (with its events) / pg_ctl status and postmaster.pid. */
  ServerState describeServer(TargetConfig target);

  /** The previous and current container's logs / the server's current log file ({@code settings} may be null). */
  ServerLogs readServerLogs(TargetConfig target, LogSettings settings);

  /** kubectl get/describe pvc (host: no claim); fileSystem and full are filled in by the caller. */
  VolumeState describeClaim(TargetConfig target, String claim);

  /** kubectl describe node: allocatable against requested; null on a host. */
  NodeResources describeNode(TargetConfig target, String node);

  /** {@code postgres -C name}: a setting read from the configuration files while the server is down. */
  String showSetting(TargetConfig target, String name);

  /**
   * Restarts the server unless {@code identityBefore} is already replaced, then waits until it
   * accepts connections ({@code accepting}) and, on kubernetes, the pod is Ready.
   */
  RestartOutcome restart(TargetConfig target, String identityBefore, BooleanSupplier accepting, Consumer<String> progress);

  /** The primary pod's Ready condition; null on a host. */
  Boolean podReady(TargetConfig target);
}

package io.pgrunbooks.activities.backupfailure;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.host.PgCtl;
import io.pgrunbooks.activities.host.ServerRestart;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.backupfailure.DatabaseRestartActivities;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Scenario 1's restarts: the primary's StatefulSet rolled (kubernetes), or pg_ctl restart (host). */
@Component
public class DatabaseRestartActivitiesImpl implements DatabaseRestartActivities {
  private final TargetRegistry targets;
  private final PrimaryStatefulSet statefulSet;

  @Autowired
  public DatabaseRestartActivitiesImpl(TargetRegistry targets, Supplier<KubernetesClient> kubernetes) {
    this(targets, new PrimaryStatefulSet(kubernetes));
  }

  DatabaseRestartActivitiesImpl(TargetRegistry targets, PrimaryStatefulSet statefulSet) {
    this.targets = targets;
    this.statefulSet = statefulSet;
  }

  @Override
  public String rolloutRestartStatefulSet(String target, String restartedAt, String token) {
    TargetConfig config = targets.get(target);
    if (config.hosting() != Hosting.KUBERNETES) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " is not on kubernetes: it has no statefulset to restart", "NotApplicable");
    }
    if (token == null || token.isBlank() || restartedAt == null || restartedAt.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("a rollout restart needs its restartedAt time and its token", "InvalidRequest");
    }
    return statefulSet.rolloutRestart(config, restartedAt, token, progress -> Activity.getExecutionContext().heartbeat(progress));
  }

  @Override
  public String restartUnansweringCluster(String target, String postmasterBefore) {
    TargetConfig config = targets.get(target);
    HostPlacement host = config.host();
    if (config.hosting() != Hosting.HOST || host == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " is not host-hosted: pg_ctl cannot restart it", "NotApplicable");
    }
    String now = PgCtl.runningPostmaster(host);
    if (now != null && postmasterBefore != null && !now.equals(postmasterBefore)) {
      return "nothing: the cluster at " + host.dataDirectory() + " was restarted already (" + now + ", was " + postmasterBefore
          + "): an earlier attempt of this step restarted it";
    }
    // pg_ctl restart also starts a cluster it finds stopped (an earlier attempt stopped it and the worker died), with the same options.
    ServerRestart.restart(host);
    return "pg_ctl restart -m fast of the cluster at " + host.dataDirectory()
        + (now == null ? " (found stopped: started with its last options)" : " (" + now + " before, " + PgCtl.runningPostmaster(host) + " now)");
  }
}

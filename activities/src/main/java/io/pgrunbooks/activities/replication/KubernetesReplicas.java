package io.pgrunbooks.activities.replication;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.kubernetes.PodLogs;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.replication.Reinitialization;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Replicas as StatefulSet pods. Kubernetes recreates a deleted pod with the same volume, which is
 * the seed's {@code kubectl delete pod postgres-replica-0}: it restarts a replica, it does not copy
 * the primary anew. A new copy needs the volume gone too: that is done only where the target names
 * the claim, and the replica's image must then copy the primary when it finds an empty volume (as
 * the common images' entrypoints and operators do); this runbook cannot run pg_basebackup inside a pod.
 */
final class KubernetesReplicas implements ReplicaHosting {
  private final Supplier<KubernetesClient> kubernetes;

  KubernetesReplicas(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public Boolean serverRunning(TargetConfig target, Replica replica) {
    if (replica.placement() == null || replica.placement().pod() == null) {
      return null;
    }
    Pod pod = pod(target, replica);
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        || pod.getStatus().getContainerStatuses().isEmpty()) {
      return false;
    }
    return pod.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()))
        && pod.getMetadata().getDeletionTimestamp() == null;
  }

  @Override
  public String podUid(TargetConfig target, Replica replica) {
    if (replica.placement() == null || replica.placement().pod() == null) {
      return null;
    }
    Pod pod = pod(target, replica);
    return pod == null ? null : pod.getMetadata().getUid();
  }

  @Override
  public boolean logSaysWalRemoved(TargetConfig target, Replica replica) {
    if (replica.placement() == null || replica.placement().pod() == null || pod(target, replica) == null) {
      return false;
    }
    try {
      // One GET, no wait for readiness (PodLogs): the replica that needs this check is the one not ready.
      return ReplicaHosting.walRemoved(PodLogs.read(kubernetes.get(), namespace(target), replica.placement().pod(),
          new PodLogs.Request(null, false, null, 500)));
    } catch (KubernetesClientException e) {
      return false; // no log to read (container not started, or logs not served): no evidence either way
    }
  }

  @Override
  public String reinitializeBlocker(TargetConfig target, Replica replica) {
    if (replica.placement() == null || replica.placement().pod() == null) {
      return "no pod is configured for it (replication.replicas[].pod)";
    }
    if (replica.placement().volumeClaim() == null) {
      return "deleting pod " + replica.placement().pod() + " alone keeps its volume, so it would come back just as far behind;"
          + " delete its PersistentVolumeClaim and then the pod (or have the operator rebuild it), or configure"
          + " replication.replicas[].volume-claim to let this runbook do that";
    }
    return null;
  }

  @Override
  public String start(TargetConfig target, Replica replica, String podUid) {
    if (replica.placement() == null || replica.placement().pod() == null) {
      throw Replica.invalid("replica " + replica.name() + " has no pod configured (replication.replicas[].pod)");
    }
    String name = namespace(target) + "/" + replica.placement().pod();
    Pod pod = pod(target, replica);
    if (pod == null) {
      return "pod " + name + " does not exist: nothing deleted (its StatefulSet recreates it; if it does not, look at the"
          + " StatefulSet's events)";
    }
    if (podUid == null || !podUid.equals(pod.getMetadata().getUid())) {
      return "pod " + name + " is a new one (uid " + pod.getMetadata().getUid() + ", not " + podUid
          + "): already recreated, left alone";
    }
    KubernetesFailures.call(() -> kubernetes.get().pods().inNamespace(namespace(target)).withName(replica.placement().pod()).delete());
    return "deleted pod " + name + " (uid " + podUid + "); its StatefulSet recreates it";
  }

  @Override
  public Reinitialization reinitialize(TargetConfig target, Replica replica, String stamp, Consumer<String> progress) {
    String blocker = reinitializeBlocker(target, replica);
    if (blocker != null) {
      throw Replica.invalid("replica " + replica.name() + " cannot be reinitialized here: " + blocker);
    }
    Instant decided = Instant.from(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").parse(stamp));
    String ns = namespace(target);
    List<String> done = new ArrayList<>();
    PersistentVolumeClaim claim = KubernetesFailures.call(() ->
        kubernetes.get().persistentVolumeClaims().inNamespace(ns).withName(replica.placement().volumeClaim()).get());
    // Only what existed when the fix was approved: a successor made after it is the result, not the cause.
    if (claim != null && olderThan(claim, decided)) {
      KubernetesFailures.call(() -> kubernetes.get().persistentVolumeClaims().inNamespace(ns).resource(claim).delete());
      done.add("deleted volume claim " + ns + "/" + replica.placement().volumeClaim());
    }
    Pod pod = pod(target, replica);
    if (pod != null && olderThan(pod, decided)) {
      KubernetesFailures.call(() -> kubernetes.get().pods().inNamespace(ns).resource(pod).delete());
      done.add("deleted pod " + ns + "/" + replica.placement().pod());
    }
    done.add(done.isEmpty() ? "nothing left to delete (an earlier attempt did it)" : "its StatefulSet recreates both; the replica's"
        + " image must copy the primary onto the empty volume");
    return new Reinitialization(replica.name(), null, String.join("; ", done));
  }

  private static boolean olderThan(HasMetadata resource, Instant decided) {
    String created = resource.getMetadata().getCreationTimestamp();
    return created == null || Instant.parse(created).isBefore(decided.plusSeconds(1));
  }

  private Pod pod(TargetConfig target, Replica replica) {
    return KubernetesFailures.call(() ->
        kubernetes.get().pods().inNamespace(namespace(target)).withName(replica.placement().pod()).get());
  }

  private static String namespace(TargetConfig target) {
    if (target.kubernetes() == null || target.kubernetes().namespace() == null) {
      throw Replica.invalid("the target has no kubernetes.namespace");
    }
    return target.kubernetes().namespace();
  }

}

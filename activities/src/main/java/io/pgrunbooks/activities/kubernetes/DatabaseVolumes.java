package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/** The persistent volumes that hold the database, picked from {@code kubectl get pv}. */
final class DatabaseVolumes {
  private static final String DEFAULT_VOLUME_MATCH = "postgres";

  private final Supplier<KubernetesClient> kubernetes;
  private final DatabasePods pods;

  DatabaseVolumes(Supplier<KubernetesClient> kubernetes, DatabasePods pods) {
    this.kubernetes = kubernetes;
    this.pods = pods;
  }

  /** The status of each database volume, by name. */
  List<VolumeStatus> statuses(KubernetesPlacement placement) {
    String namespace = placement.namespace();
    String match =
        placement.volumeMatch() == null || placement.volumeMatch().isBlank()
            ? DEFAULT_VOLUME_MATCH
            : placement.volumeMatch();
    Set<String> claims = mountedClaims(placement);

    List<PersistentVolume> volumes;
    try {
      volumes = kubernetes.get().persistentVolumes().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        // Persistent volumes are cluster-scoped: a namespace-only role cannot list them.
        throw new IllegalStateException(
            "listing persistent volumes is forbidden; the worker's service account needs"
                + " cluster-wide get/list on persistentvolumes: "
                + e.getMessage(),
            e);
      }
      throw e;
    }
    return volumes.stream()
        .filter(pv -> belongsToDatabase(pv, namespace, claims, match))
        .map(DatabaseVolumes::status)
        .sorted(Comparator.comparing(VolumeStatus::name))
        .toList();
  }

  /**
   * The claims the database pods mount: they identify their volumes whatever they are named; the
   * name match keeps the seed's `kubectl get pv | grep postgres` for volumes of stopped pods.
   */
  private Set<String> mountedClaims(KubernetesPlacement placement) {
    Set<String> claims = new HashSet<>();
    if (placement.podSelector() == null || placement.podSelector().isBlank()) {
      return claims;
    }
    for (Pod pod : pods.list(placement)) {
      if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
        continue;
      }
      for (Volume volume : pod.getSpec().getVolumes()) {
        if (volume.getPersistentVolumeClaim() != null) {
          claims.add(volume.getPersistentVolumeClaim().getClaimName());
        }
      }
    }
    return claims;
  }

  private static boolean belongsToDatabase(
      PersistentVolume pv, String namespace, Set<String> claims, String match) {
    ObjectReference claim = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (claim == null || !namespace.equals(claim.getNamespace())) {
      return false;
    }
    String claimName = Objects.requireNonNullElse(claim.getName(), "");
    return claims.contains(claimName)
        || pv.getMetadata().getName().contains(match)
        || claimName.contains(match);
  }

  private static VolumeStatus status(PersistentVolume pv) {
    var spec = pv.getSpec();
    Map<String, Quantity> capacity = spec.getCapacity();
    Quantity storage = capacity == null ? null : capacity.get("storage");
    ObjectReference claim = spec.getClaimRef();
    return new VolumeStatus(
        pv.getMetadata().getName(),
        pv.getStatus() == null ? null : pv.getStatus().getPhase(),
        storage == null ? null : storage.toString(),
        claim == null ? null : claim.getNamespace() + "/" + claim.getName(),
        spec.getStorageClassName());
  }
}

package io.pgrunbooks.activities.disk;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.disk.DataVolume;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The seed's {@code kubectl patch pvc postgres-primary-pvc -p '{"spec":{"resources":{"requests":{"storage":"150Gi"}}}}'},
 * made safe: the claim is the one the primary pod mounts its data directory from (not a name in
 * code), its storage class must allow expansion, and the new size must be larger than the current.
 */
final class DataVolumeClaims {
  private final Supplier<KubernetesClient> kubernetes;

  DataVolumeClaims(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The data directory's claim and whether it may grow to {@code expandTo} (the refusal says why not). */
  DataVolume describe(KubernetesPlacement placement, String expandTo) {
    String claim = KubernetesFailures.call(() -> dataClaim(placement));
    PersistentVolumeClaim pvc = KubernetesFailures.call(
        () -> kubernetes.get().persistentVolumeClaims().inNamespace(placement.namespace()).withName(claim).get());
    if (pvc == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the primary pod mounts claim " + claim + " but it does not exist in " + placement.namespace(), "ClaimNotFound");
    }
    String className = pvc.getSpec().getStorageClassName();
    StorageClass storageClass = className == null ? null
        : KubernetesFailures.call(() -> kubernetes.get().storage().v1().storageClasses().withName(className).get());
    boolean expandable = storageClass != null && Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion());
    String requested = quantity(pvc.getSpec().getResources() == null ? null : pvc.getSpec().getResources().getRequests());
    String refusal = null;
    if (className == null) {
      refusal = "claim " + claim + " names no storage class, so nothing says it can grow";
    } else if (storageClass == null) {
      refusal = "storage class " + className + " of claim " + claim + " does not exist";
    } else if (!expandable) {
      refusal = "storage class " + className + " of claim " + claim + " does not allow volume expansion (allowVolumeExpansion is not"
          + " true): the claim cannot grow; free space otherwise, or copy the data to a larger volume (a new claim and a restore)";
    } else {
      refusal = notLarger(expandTo, requested);
    }
    return volume(placement.namespace(), pvc, className, expandable, refusal);
  }

  /** Sets the claim's storage request to {@code expandTo} (nothing when it asks for as much already); the claim after. */
  DataVolume expand(KubernetesPlacement placement, String claim, String expandTo) {
    DataVolume now = describe(placement, expandTo);
    if (!now.claim().equals(claim)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the primary pod now mounts claim " + now.claim() + ", not the approved " + claim + ": nothing changed", "ClaimChanged");
    }
    if (now.refusal() != null) {
      if (now.expandable() && now.requested() != null && bytes(now.requested()).compareTo(bytes(expandTo)) >= 0) {
        return now; // a retry after the patch: done already
      }
      throw ApplicationFailure.newNonRetryableFailure(now.refusal() + ": nothing changed", "VolumeNotExpandable");
    }
    KubernetesFailures.call(() -> kubernetes.get().persistentVolumeClaims().inNamespace(placement.namespace()).withName(claim)
        .edit(pvc -> {
          pvc.getSpec().getResources().getRequests().put("storage", new Quantity(expandTo));
          return pvc;
        }));
    PersistentVolumeClaim after = KubernetesFailures.call(
        () -> kubernetes.get().persistentVolumeClaims().inNamespace(placement.namespace()).withName(claim).get());
    return volume(placement.namespace(), after, now.storageClass(), true, null);
  }

  /**
   * The claim of the volume mounted at the longest mount path that contains the data directory, in
   * the PostgreSQL container of the primary pod.
   */
  private String dataClaim(KubernetesPlacement placement) {
    Pod pod = kubernetes.get().pods().inNamespace(placement.namespace()).withName(placement.primaryPod()).get();
    if (pod == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "primary pod " + placement.namespace() + "/" + placement.primaryPod() + " does not exist", "PodNotFound");
    }
    List<Container> containers = pod.getSpec().getContainers();
    Container container = containers.stream()
        .filter(c -> placement.container() == null || placement.container().isBlank() || c.getName().equals(placement.container()))
        .findFirst()
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "pod " + placement.primaryPod() + " has no container " + placement.container(), "PodNotFound"));
    String data = placement.dataDirectory();
    VolumeMount mount = (container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()).stream()
        .filter(m -> data.equals(m.getMountPath()) || data.startsWith(m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/"))
        .max(Comparator.comparingInt(m -> m.getMountPath().length()))
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "no volume of pod " + placement.primaryPod() + " is mounted at the data directory " + data, "ClaimNotFound"));
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName()))
        .map(Volume::getPersistentVolumeClaim)
        .filter(java.util.Objects::nonNull)
        .map(c -> c.getClaimName())
        .findFirst()
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "the data directory " + data + " of pod " + placement.primaryPod() + " is on volume " + mount.getName()
                + ", which is not a persistent volume claim: nothing to grow", "ClaimNotFound"));
  }

  private static String notLarger(String expandTo, String requested) {
    BigDecimal wanted;
    try {
      wanted = bytes(expandTo);
    } catch (IllegalArgumentException e) {
      return "expandTo '" + expandTo + "' is not a Kubernetes quantity (e.g. 150Gi)";
    }
    if (requested != null && wanted.compareTo(bytes(requested)) <= 0) {
      return "expandTo " + expandTo + " is not larger than the claim's current request " + requested;
    }
    return null;
  }

  static BigDecimal bytes(String quantity) {
    if (quantity == null || quantity.isBlank()) {
      throw new IllegalArgumentException("no quantity");
    }
    return Quantity.getAmountInBytes(Quantity.parse(quantity));
  }

  private static DataVolume volume(String namespace, PersistentVolumeClaim pvc, String className, boolean expandable, String refusal) {
    Map<String, Quantity> requests = pvc.getSpec().getResources() == null ? null : pvc.getSpec().getResources().getRequests();
    Map<String, Quantity> capacity = pvc.getStatus() == null ? null : pvc.getStatus().getCapacity();
    List<String> conditions = pvc.getStatus() == null || pvc.getStatus().getConditions() == null ? List.of()
        : pvc.getStatus().getConditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
            .toList();
    return new DataVolume(namespace, pvc.getMetadata().getName(), className, expandable, quantity(requests), quantity(capacity),
        conditions, refusal);
  }

  private static String quantity(Map<String, Quantity> values) {
    Quantity q = values == null ? null : values.get("storage");
    return q == null ? null : q.toString();
  }
}

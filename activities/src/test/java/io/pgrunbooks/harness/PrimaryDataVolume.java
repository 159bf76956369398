package io.pgrunbooks.harness;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * In fabric8's CRUD mock: a storage class, the claim {@value #CLAIM} of 100Gi bound in it, and the
 * primary pod {@value #POD} whose PostgreSQL container mounts the claim at /var/lib/postgresql (so
 * the data directory /var/lib/postgresql/data is on it), as a StatefulSet would make them.
 */
public final class PrimaryDataVolume {
  public static final String POD = "postgres-primary-0";
  public static final String CLAIM = "data-postgres-primary-0";
  public static final String DATA = "/var/lib/postgresql/data";

  private PrimaryDataVolume() {}

  /** Creates them in {@code namespace}; {@code allowExpansion} is the class's allowVolumeExpansion. */
  public static void create(KubernetesClient client, String namespace, String storageClass, Boolean allowExpansion) {
    client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName(storageClass).endMetadata()
        .withProvisioner("ebs.csi.aws.com").withAllowVolumeExpansion(allowExpansion).build()).create();
    client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(CLAIM).endMetadata()
        .withNewSpec().withStorageClassName(storageClass).withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity("100Gi")).endResources().endSpec()
        .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity("100Gi")).endStatus()
        .build()).create();
    client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(POD).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("postgres").withImage("postgres:15")
        .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
        .addNewVolumeMount().withName("data").withMountPath("/var/lib/postgresql").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("run").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(CLAIM).endPersistentVolumeClaim().endVolume()
        .endSpec().build()).create();
  }

  /** The claim's spec.resources.requests.storage now. */
  public static String requested(KubernetesClient client, String namespace) {
    return client.persistentVolumeClaims().inNamespace(namespace).withName(CLAIM).get()
        .getSpec().getResources().getRequests().get("storage").toString();
  }
}

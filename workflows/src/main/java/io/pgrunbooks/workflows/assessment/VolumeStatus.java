package io.pgrunbooks.workflows.assessment;

/**
 * A persistent volume of the database ({@code kubectl get pv | grep postgres}).
 *
 * @param name volume name
 * @param phase Available, Bound, Released, Failed
 * @param capacity requested capacity, e.g. "100Gi"
 * @param claim namespace/name of the bound claim, null when unbound
 * @param storageClass storage class
 */
public record VolumeStatus(
    String name, String phase, String capacity, String claim, String storageClass) {}

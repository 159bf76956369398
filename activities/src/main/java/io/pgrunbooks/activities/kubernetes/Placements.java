package io.pgrunbooks.activities.kubernetes;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;

/** Checks that a target carries the Kubernetes placement fields a step needs. */
public final class Placements {
  private Placements() {}

  /** The target's placement; every step needs at least its namespace. */
  public static KubernetesPlacement of(TargetConfig target) {
    KubernetesPlacement placement = target.kubernetes();
    if (placement == null) {
      throw new IllegalArgumentException(
          "target has hosting kubernetes but no kubernetes placement");
    }
    required(placement.namespace(), "kubernetes.namespace");
    return placement;
  }

  /** The value of a placement field that this step cannot do without. */
  public static String required(String value, String property) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("target has no " + property);
    }
    return value;
  }
}

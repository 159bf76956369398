package io.pgrunbooks.workflows.applications;

/**
 * One application deployment and its replica count, as recorded before scaling it down.
 *
 * @param namespace e.g. link-services
 * @param name e.g. api-gateway
 * @param replicas the count it had (and gets back)
 */
public record DeploymentReplicas(String namespace, String name, int replicas) {

  /** "api-gateway 3" as in "scale api-gateway 3 -> 0". */
  public String describeScale(int to) {
    return name + " " + replicas + " -> " + to;
  }
}

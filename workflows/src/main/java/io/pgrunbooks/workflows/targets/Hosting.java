package io.pgrunbooks.workflows.targets;

/** How a target's PostgreSQL runs, which decides how hosting-level steps are carried out. */
public enum Hosting {
  /** Pods of a StatefulSet in a Kubernetes namespace, driven through the Kubernetes API. */
  KUBERNETES,
  /** A cluster on the worker's machine or VM, driven with pg_ctl and its data directory. */
  HOST
}

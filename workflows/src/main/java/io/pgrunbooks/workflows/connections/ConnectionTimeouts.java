package io.pgrunbooks.workflows.connections;

import io.pgrunbooks.workflows.common.StepTimeouts;
import io.temporal.activity.ActivityOptions;

/** Timeouts and retries of the connection steps; which failures are final is the activities' call. */
final class ConnectionTimeouts {
  private ConnectionTimeouts() {}

  /**
   * Catalog reads, terminations (each waits up to 5 s for the backend to go), patches of a few
   * deployments: seconds. A server refusing logins (exhaustion itself) is retried: the superuser
   * reserved slots usually still let the worker in.
   */
  static final ActivityOptions QUICK = StepTimeouts.QUICK;

  /**
   * A server restart: a fast shutdown plus a start, bounded by pg_ctl's own 120 s wait. Retried
   * twice: setting the same value and restarting again is the same step.
   */
  static final ActivityOptions RESTART = StepTimeouts.RESTART;
}

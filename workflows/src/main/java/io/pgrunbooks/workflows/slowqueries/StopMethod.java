package io.pgrunbooks.workflows.slowqueries;

/** How a backend is ended. */
public enum StopMethod {
  /** pg_cancel_backend: the running statement is cancelled, the session stays (an active query). */
  CANCEL,
  /**
   * pg_terminate_backend: the session ends and its transaction rolls back. The only way to release
   * an idle-in-transaction session's locks: a cancel does nothing to a session that runs nothing.
   */
  TERMINATE
}

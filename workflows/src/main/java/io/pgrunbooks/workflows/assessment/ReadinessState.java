package io.pgrunbooks.workflows.assessment;

/** What {@code pg_isready} would say, with its exit code. */
public enum ReadinessState {
  /** Exit 0: the server accepts connections. */
  ACCEPTING(0),
  /** Exit 1: the server answers but rejects connections (starting up, shutting down, recovering). */
  REJECTING(1),
  /** Exit 2: no answer (down, unreachable, or hung). */
  NO_RESPONSE(2),
  /** Exit 3: no attempt was made (bad parameters). */
  NO_ATTEMPT(3);

  private final int pgIsReadyExitCode;

  ReadinessState(int pgIsReadyExitCode) {
    this.pgIsReadyExitCode = pgIsReadyExitCode;
  }

  public int pgIsReadyExitCode() {
    return pgIsReadyExitCode;
  }
}

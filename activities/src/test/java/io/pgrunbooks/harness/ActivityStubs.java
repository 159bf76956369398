package io.pgrunbooks.harness;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;

/**
 * An activity implementation called through Temporal's {@link TestActivityEnvironment}: one
 * attempt, no workflow, with the activity context (heartbeats) that steps such as VACUUM need.
 * Failures arrive as {@code ActivityFailure} whose cause is the activity's ApplicationFailure.
 */
public final class ActivityStubs implements AutoCloseable {
  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();

  public ActivityStubs(Object... implementations) {
    env.registerActivitiesImplementations(implementations);
  }

  /** A stub of {@code type}: 2 minutes start-to-close, 1 minute heartbeat timeout, one attempt. */
  public <T> T stub(Class<T> type) {
    return env.newActivityStub(type, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @Override
  public void close() {
    env.close();
  }
}

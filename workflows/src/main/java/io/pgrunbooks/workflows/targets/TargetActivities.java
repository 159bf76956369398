package io.pgrunbooks.workflows.targets;

import io.temporal.activity.ActivityInterface;

/** Looks targets up in the worker's configuration. */
@ActivityInterface
public interface TargetActivities {

  /**
   * Describes a configured target. An unknown name fails non-retryably with type {@code
   * UnknownTarget} and the list of known targets.
   */
  TargetProfile describeTarget(String target);
}

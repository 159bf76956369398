package io.pgrunbooks.workflows.approval;

import io.temporal.activity.ActivityInterface;

/** Tells people that a gate waits too long: log, metric, and the configured webhook. */
@ActivityInterface
public interface EscalationActivities {
  void escalate(EscalationNotice notice);
}

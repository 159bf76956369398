package io.pgrunbooks.workflows.watch;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Installs the post-incident rules, waits (a durable timer), removes them. */
@WorkflowInterface
public interface WatchAfterIncidentWorkflow {
  String TYPE = "WatchAfterIncident";

  @WorkflowMethod(name = TYPE)
  WatchResult watch(WatchRequest request);

  /** Ends the watch early (the rules are removed now); names who ended it. */
  @SignalMethod
  void stop(String person);
}

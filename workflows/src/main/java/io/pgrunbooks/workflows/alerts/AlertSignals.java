package io.pgrunbooks.workflows.alerts;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import java.util.List;

/**
 * What a runbook an alert may start takes alert notifications by: the API's Alertmanager receiver
 * signals-with-start the run that holds the alert's target, so the first notification starts it and
 * every later one (a repeat, the resolve) is recorded on it. A resolve is recorded, it does not stop
 * the run: the runbook's own checks say whether the problem is gone. Handlers only append (no
 * activity, no timer), so that no history changes shape.
 */
public interface AlertSignals {
  /** The signal's name, as the receiver sends it with an untyped stub. */
  String ALERT_NOTIFIED = "alertNotified";

  @SignalMethod(name = ALERT_NOTIFIED)
  void alertNotified(AlertNotice notice);

  /** Every notice received, in order. */
  @QueryMethod
  List<AlertNotice> alertNotices();
}

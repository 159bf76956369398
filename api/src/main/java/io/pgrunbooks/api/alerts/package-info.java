/** Alerts in: Alertmanager's webhook, routed by configuration to the runbook that answers the alert, on the run that holds its target. */
package io.pgrunbooks.api.alerts;

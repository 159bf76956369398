/** Alerts in: the notice an Alertmanager notification becomes, and the signal the alert-started runbooks take it by. */
package io.pgrunbooks.workflows.alerts;

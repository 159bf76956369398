/**
 * Approval gates' side effects: escalation of gates that wait too long (log, metric, webhook), and
 * verification of who decided (the API's signature, checked with the signing key).
 */
package io.pgrunbooks.activities.approval;

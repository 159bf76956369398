/**
 * The database failure runbook as one run: assess, pick the scenario, diagnose, run the scenario as
 * a child (its own gates), validate, start the post-incident watch, write the incident report.
 */
package io.pgrunbooks.workflows.response;

/**
 * The applications in front of a database: their deployments' replica counts are recorded before
 * a destructive step stops them, and put back afterwards whatever happened in between.
 */
package io.pgrunbooks.workflows.applications;

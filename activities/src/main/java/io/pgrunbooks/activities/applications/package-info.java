/** Application deployments around a destructive step: record, scale down, scale back. */
package io.pgrunbooks.activities.applications;

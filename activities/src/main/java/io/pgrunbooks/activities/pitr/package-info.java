/**
 * Point-in-time recovery with pgBackRest: the recoverable window, the restore, following recovery
 * and proving where it stopped. See {@link io.pgrunbooks.workflows.pitr.PitrActivities}.
 */
package io.pgrunbooks.activities.pitr;

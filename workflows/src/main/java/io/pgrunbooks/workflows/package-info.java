/**
 * The runbooks' contract and their deterministic code: workflow and activity interfaces, workflow
 * implementations and the records they exchange. Depends on the Temporal SDK only, so no workflow
 * can reach a database, a file or the network except through an activity.
 */
package io.pgrunbooks.workflows;

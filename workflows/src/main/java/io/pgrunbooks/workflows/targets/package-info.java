/** Targets: the PostgreSQL clusters runbooks work on, as workflows see them (no secrets). */
package io.pgrunbooks.workflows.targets;

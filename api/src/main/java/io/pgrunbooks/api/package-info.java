/** The REST API: catalog, runs and their status. A Temporal client only: it never runs a step. */
package io.pgrunbooks.api;

/** Runs: start one, read its status and result, list recent ones. */
package io.pgrunbooks.api.runs;

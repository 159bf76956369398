/**
 * The test harness: real servers as processes on free loopback ports (PostgreSQL clusters from
 * initdb, the Temporal CLI's dev server), started on demand and stopped when the JVM exits.
 * Shared with the api module's end-to-end tests through this module's test jar.
 */
package io.pgrunbooks.harness;

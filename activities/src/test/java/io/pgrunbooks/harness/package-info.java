/**
 * The test harness: real servers as processes on free loopback ports (PostgreSQL clusters from
 * initdb, the Temporal CLI's dev server, the worker's and the API's executable jars), started on
 * demand and stopped when the JVM exits; a plain HTTP client; a run's pending activities and
 * history events. Shared with the api module's end-to-end tests and the bench through this
 * module's test jar.
 */
package io.pgrunbooks.harness;

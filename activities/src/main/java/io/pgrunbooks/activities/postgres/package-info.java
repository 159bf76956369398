/** JDBC access to target clusters: connections with bounded timeouts, readiness, SQL checks. */
package io.pgrunbooks.activities.postgres;

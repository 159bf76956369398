/**
 * The server's files seen from outside PostgreSQL, the same on both hostings: the data directory's
 * sizes ({@code du}), the old server log files and the old dump files (listed, and deleted exactly as
 * approved), through one {@link io.pgrunbooks.activities.serverfiles.ServerShell} per hosting.
 */
package io.pgrunbooks.activities.serverfiles;

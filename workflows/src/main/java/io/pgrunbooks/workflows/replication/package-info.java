/** Scenario 3, replication lag: diagnose primary, replicas, network and archiving, then start, resume or reinitialize a replica, each approved, and watch the lag fall. */
package io.pgrunbooks.workflows.replication;

/** Scenario 3's side effects: replication seen from the primary and each replica, and a replica started, resumed or copied anew on a host or in Kubernetes. */
package io.pgrunbooks.activities.replication;

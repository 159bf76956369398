package io.pgrunbooks.workflows.replication;

/**
 * A fix planned for one replica.
 *
 * @param replica the replica's name
 * @param kind what is done
 * @param why the facts that call for it
 */
public record ReplicaRepair(String replica, RepairKind kind, String why) {}

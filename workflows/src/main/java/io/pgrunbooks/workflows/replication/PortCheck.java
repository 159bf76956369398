package io.pgrunbooks.workflows.replication;

/**
 * A TCP connect from the worker to a server's port: the seed's ping between pods, which a worker
 * cannot do (it is no pod of the database, and ICMP says nothing about PostgreSQL's port).
 *
 * @param name primary or the replica's name
 * @param address host:port
 * @param open whether the connect succeeded
 * @param millis how long it took
 * @param error why it failed (null when open)
 */
public record PortCheck(String name, String address, boolean open, long millis, String error) {
  public String describe() {
    return name + " " + address + (open ? " open (" + millis + " ms)" : " NOT reachable: " + error);
  }
}

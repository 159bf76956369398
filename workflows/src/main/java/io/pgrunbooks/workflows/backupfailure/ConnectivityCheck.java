package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.targets.Hosting;

/**
 * Scenario 1's checks, from the worker (where this service's backups run).
 *
 * @param hosting the target's hosting
 * @param endpoint host:port tried
 * @param tcpOpen whether a TCP connection to it opened
 * @param selectOne whether {@code SELECT 1} as the primary's configured role answered
 * @param serverRunning host hosting: whether {@code pg_ctl status} says the cluster runs (null: not host hosting)
 * @param listenAddresses the server's {@code listen_addresses}: the running server's when SELECT 1
 *     answered, else its configuration's (host: {@code postgres -C}; kubernetes: postgresql.conf and
 *     postgresql.auto.conf of the data directory in the primary pod, the seed's {@code grep}); null: could not be read
 * @param detail the network's or the server's words when a check failed (null when both passed)
 * @param kubernetes kubernetes hosting: the StatefulSet, its Services and pods (null on host hosting)
 * @param serverIdentity host hosting: the running postmaster ({@code pid N}), which a restart changes
 *     (null: not running, or not host hosting)
 */
public record ConnectivityCheck(
    Hosting hosting, String endpoint, boolean tcpOpen, boolean selectOne, Boolean serverRunning, String listenAddresses,
    String detail, DatabaseService kubernetes, String serverIdentity) {

  /** The checks from the worker alone, without the kubernetes objects and the postmaster's identity. */
  public ConnectivityCheck(
      Hosting hosting, String endpoint, boolean tcpOpen, boolean selectOne, Boolean serverRunning, String listenAddresses,
      String detail) {
    this(hosting, endpoint, tcpOpen, selectOne, serverRunning, listenAddresses, detail, null, null);
  }

  public boolean ok() {
    return tcpOpen && selectOne;
  }

  public String describe() {
    return endpoint + ": TCP " + (tcpOpen ? "open" : "closed") + ", SELECT 1 " + (selectOne ? "answered" : "failed")
        + (serverRunning == null ? ""
            : ", cluster " + (serverRunning ? "running" + (serverIdentity == null ? "" : " (" + serverIdentity + ")") : "stopped"))
        + (listenAddresses == null ? "" : ", listen_addresses '" + listenAddresses + "'")
        + (detail == null ? "" : " (" + detail + ")")
        + (kubernetes == null ? "" : "; " + kubernetes.describe());
  }
}

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
 * @param listenAddresses the server's {@code listen_addresses} (null: could not be read)
 * @param detail the network's or the server's words when a check failed (null when both passed)
 */
public record ConnectivityCheck(
    Hosting hosting, String endpoint, boolean tcpOpen, boolean selectOne, Boolean serverRunning, String listenAddresses,
    String detail) {

  public boolean ok() {
    return tcpOpen && selectOne;
  }

  public String describe() {
    return endpoint + ": TCP " + (tcpOpen ? "open" : "closed") + ", SELECT 1 " + (selectOne ? "answered" : "failed")
        + (serverRunning == null ? "" : ", cluster " + (serverRunning ? "running" : "stopped"))
        + (listenAddresses == null ? "" : ", listen_addresses '" + listenAddresses + "'")
        + (detail == null ? "" : " (" + detail + ")");
  }
}

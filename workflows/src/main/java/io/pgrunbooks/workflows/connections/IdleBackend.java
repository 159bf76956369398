package io.pgrunbooks.workflows.connections;

/**
 * A client session idle long enough to be ended, as the gate shows it.
 *
 * @param pid the backend's process id
 * @param backendStart RFC 3339; with the pid it names the session (a pid may be reused)
 * @param user the role (never a superuser)
 * @param application application_name
 * @param clientAddr the client's address (null: a Unix socket)
 * @param idleSince RFC 3339: when it went idle (state_change)
 */
public record IdleBackend(
    int pid, String backendStart, String user, String application, String clientAddr, String idleSince) {

  /** "pid 4711 (app@10.0.0.5 as link, idle since ...)". */
  public String describe() {
    return "pid " + pid + " (" + (application == null || application.isEmpty() ? "?" : application) + "@"
        + (clientAddr == null ? "local" : clientAddr) + " as " + user + ", idle since " + idleSince + ")";
  }
}

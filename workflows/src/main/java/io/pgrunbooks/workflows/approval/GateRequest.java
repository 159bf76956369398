package io.pgrunbooks.workflows.approval;

import java.time.Duration;

/**
 * A destructive step, described for the person who must approve it.
 *
 * @param gateId unique in the run, e.g. {@code scale-down-applications}
 * @param action what will happen, e.g. "scale api-gateway 3 -> 0, user-svc 2 -> 0 in link-services"
 * @param target what it happens to, e.g. "target link, database link_users"
 * @param why why the runbook does it
 * @param timeout how long to wait before escalating
 * @param onTimeout keep waiting or abort after escalating
 */
public record GateRequest(
    String gateId, String action, String target, String why, Duration timeout, OnTimeout onTimeout) {

  /** The text a person reads (and whose digest an approval must carry). */
  public String description() {
    return action + " | on: " + target + " | why: " + why;
  }
}

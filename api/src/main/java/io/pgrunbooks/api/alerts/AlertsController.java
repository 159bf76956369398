package io.pgrunbooks.api.alerts;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/alerts")
class AlertsController {
  private final AlertService alerts;

  AlertsController(AlertService alerts) {
    this.alerts = alerts;
  }

  /**
   * Alertmanager's webhook (operator role): each alert starts its runbook on its target, or is
   * recorded on the run that holds the target, or is ignored with the reason; 200 with the outcome
   * of each. A body that is no webhook payload is a 400; Temporal unreachable a 503 (Alertmanager retries).
   */
  @PostMapping("/alertmanager")
  AlertReceipt alertmanager(@RequestBody AlertmanagerNotification notification) {
    return alerts.receive(notification);
  }
}

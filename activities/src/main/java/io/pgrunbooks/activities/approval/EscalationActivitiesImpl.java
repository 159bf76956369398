package io.pgrunbooks.activities.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.EscalationNotice;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Escalates a gate that waits too long: a warning in the log, {@code
 * pgrunbooks_approval_escalations_total} for alerting, and a JSON POST to {@code
 * pgrunbooks.escalation.webhook-url} when one is configured (Slack, PagerDuty, a chat bridge). A
 * webhook that fails is retried by Temporal; the gate keeps its own policy either way.
 */
@Component
public class EscalationActivitiesImpl implements EscalationActivities {
  private static final Logger log = LoggerFactory.getLogger(EscalationActivitiesImpl.class);

  private final MeterRegistry meters;
  private final String webhookUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  public EscalationActivitiesImpl(MeterRegistry meters, @Value("${pgrunbooks.escalation.webhook-url:}") String webhookUrl) {
    this.meters = meters;
    this.webhookUrl = webhookUrl;
  }

  @Override
  public void escalate(EscalationNotice notice) {
    log.warn(
        "approval gate {} of {} has waited {} s (then: {}): {}",
        notice.gateId(), notice.workflowId(), notice.waitedSeconds(), notice.onTimeout(), notice.description());
    meters.counter("pgrunbooks.approval.escalations", "gate", notice.gateId()).increment();
    if (webhookUrl == null || webhookUrl.isBlank()) {
      return;
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(webhookUrl))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(notice)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw ApplicationFailure.newFailure(
            "escalation webhook answered " + response.statusCode(), "EscalationWebhookFailed");
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("escalation webhook unreachable: " + e.getMessage(), "EscalationWebhookFailed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "EscalationWebhookFailed");
    }
  }
}

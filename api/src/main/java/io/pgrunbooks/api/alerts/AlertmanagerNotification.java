package io.pgrunbooks.api.alerts;

import java.util.List;
import java.util.Map;

/**
 * The body of Alertmanager's webhook ({@code version} "4"), as Alertmanager documents it; fields it
 * may add later are ignored.
 *
 * @param version the payload's version: "4"
 * @param groupKey the group the alerts belong to (Alertmanager's route and group labels)
 * @param truncatedAlerts how many alerts {@code max_alerts} left out
 * @param status {@code firing} while any alert of the group fires, else {@code resolved}
 * @param receiver the receiver's name in Alertmanager's configuration
 * @param groupLabels the labels the group is made by
 * @param commonLabels labels all the alerts share
 * @param commonAnnotations annotations all the alerts share
 * @param externalURL the Alertmanager that sent it
 * @param alerts the group's alerts
 */
record AlertmanagerNotification(
    String version,
    String groupKey,
    Integer truncatedAlerts,
    String status,
    String receiver,
    Map<String, String> groupLabels,
    Map<String, String> commonLabels,
    Map<String, String> commonAnnotations,
    String externalURL,
    List<Alert> alerts) {

  /**
   * One alert of the notification.
   *
   * @param status {@code firing} or {@code resolved}
   * @param labels its labels, {@code alertname} among them
   * @param annotations its annotations ({@code summary}, {@code description}, ...)
   * @param startsAt RFC 3339
   * @param endsAt RFC 3339; the zero time {@code 0001-01-01T00:00:00Z} while it fires
   * @param generatorURL where it comes from
   * @param fingerprint Alertmanager's hash of the labels: the same alert has the same one
   */
  record Alert(
      String status,
      Map<String, String> labels,
      Map<String, String> annotations,
      String startsAt,
      String endsAt,
      String generatorURL,
      String fingerprint) {}
}

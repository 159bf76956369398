package io.pgrunbooks.api.alerts;

import java.util.List;

/**
 * The answer to a notification: always 200 once the body is readable, since Alertmanager retries
 * an error; what happened to each alert is said per alert.
 *
 * @param receiver the receiver's name, as sent
 * @param groupKey the group's key, as sent
 * @param alerts one outcome per alert, in the notification's order
 */
record AlertReceipt(String receiver, String groupKey, List<AlertOutcome> alerts) {}

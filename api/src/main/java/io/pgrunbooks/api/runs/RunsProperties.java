package io.pgrunbooks.api.runs;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code pgrunbooks.*} settings of the API.
 *
 * @param taskQueue the workers' task queue
 * @param webUiUrl base URL of the Temporal Web UI, for links
 * @param namespace the Temporal namespace (for Web UI links)
 */
@ConfigurationProperties("pgrunbooks")
public record RunsProperties(String taskQueue, String webUiUrl, String namespace) {}

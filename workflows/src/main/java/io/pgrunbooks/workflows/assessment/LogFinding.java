package io.pgrunbooks.workflows.assessment;

import java.util.List;

/**
 * Database errors in one application deployment's recent logs (seed: tail 20, since 10 minutes).
 *
 * @param deployment deployment name
 * @param linesScanned lines read
 * @param matches lines mentioning database, postgres, connection errors or timeouts (at most 20,
 *     each cut to 300 characters)
 * @param error why the logs could not be read, null when they were
 */
public record LogFinding(
    String deployment, int linesScanned, List<String> matches, String error) {}

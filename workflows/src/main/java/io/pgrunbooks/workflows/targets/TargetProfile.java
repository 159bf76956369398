package io.pgrunbooks.workflows.targets;

import java.util.List;

/**
 * A target as workflows see it: names and limits, never credentials (activities resolve those).
 *
 * @param name the target's name in configuration
 * @param hosting how the cluster runs
 * @param location namespace (kubernetes) or data directory (host), for messages
 * @param databases the application databases of the cluster
 * @param applicationDeployments deployments whose logs show the applications' view of the database
 * @param thresholds the limits the assessment classifies against
 */
public record TargetProfile(
    String name,
    Hosting hosting,
    String location,
    List<String> databases,
    List<String> applicationDeployments,
    AssessmentThresholds thresholds) {}

package io.pgrunbooks.workflows.response;

import java.util.List;
import java.util.Map;

/**
 * A response's progress, for the API and the Web UI.
 *
 * @param phase what it does now (assess, diagnose, scenario, validate, watch, report, done)
 * @param scenario the scenario chosen so far (null before the assessment)
 * @param chosenBy who or what chose it: "assessment", "request" or a person
 * @param children the child runs started, by role (assessment, diagnosis, scenario names, validation, watch)
 * @param steering every steering signal received, in words
 */
public record ResponseState(String phase, String scenario, String chosenBy, Map<String, String> children, List<String> steering) {}

package io.pgrunbooks.workflows.response;

import io.pgrunbooks.workflows.assessment.Scenario;

/**
 * A person steering a response.
 *
 * @param scenario the scenario to run (ignored for stopAfterDiagnosis)
 * @param person who; recorded in the report
 * @param comment why
 */
public record ScenarioChoice(Scenario scenario, String person, String comment) {}

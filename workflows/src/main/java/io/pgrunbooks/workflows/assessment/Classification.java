package io.pgrunbooks.workflows.assessment;

import java.util.List;

/**
 * What the findings mean.
 *
 * @param severity the highest severity any finding reaches
 * @param scenario the scenario the most severe finding points to
 * @param reasons every finding that counted, most severe first, in words
 */
public record Classification(Severity severity, Scenario scenario, List<String> reasons) {}

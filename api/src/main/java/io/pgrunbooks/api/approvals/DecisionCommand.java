package io.pgrunbooks.api.approvals;

/**
 * One decision at one gate, ready to paste.
 *
 * @param curl through this API, which takes the person from the token and checks first
 * @param temporal the signal sent directly with the Temporal CLI, for when the API is down; the
 *     person is written in by hand and only the run's own checks apply
 */
public record DecisionCommand(String curl, String temporal) {}

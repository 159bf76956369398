package io.pgrunbooks.api.approvals;

/**
 * One decision at one gate, ready to paste.
 *
 * @param curl through this API, which takes the person from the token and checks first
 * @param temporal the signal sent directly with the Temporal CLI, for when the API is down; the
 *     person is written in by hand, so nothing vouches for it: a rejection sent so counts (recorded
 *     as unverified), an approval only where the workers trust the Temporal namespace
 *     ({@code pgrunbooks.approvals.trust-namespace}); null for approvals otherwise
 */
public record DecisionCommand(String curl, String temporal) {}

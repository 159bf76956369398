package io.pgrunbooks.workflows.approval;

import java.util.List;

/**
 * A gate as a person sees it (query {@code approvals}).
 *
 * @param gateId the gate
 * @param description what will happen, to what, why
 * @param digest what an approval must carry
 * @param openedAt RFC 3339
 * @param open still waiting
 * @param decisions every signal received for it, accepted or refused, with the reason
 */
public record GateView(
    String gateId, String description, String digest, String openedAt, boolean open, List<String> decisions) {}

package io.pgrunbooks.workflows.approval;

import java.util.List;

/**
 * A gate as a person sees it (query {@code approvals}), and its audit record.
 *
 * @param gateId the gate
 * @param description what will happen, to what, why
 * @param digest what an approval must carry
 * @param openedAt RFC 3339
 * @param open still waiting
 * @param decisions every signal received for it, accepted or refused, with the reason and the path
 * @param decidedBy who decided ({@code unverified: <name> via signal} when nothing vouched for the
 *     name, {@code timeout}); null while open
 * @param decidedAt RFC 3339; null while open
 * @param comment the decider's comment, or why the gate aborted
 * @param via how the deciding decision came: {@code api (signed)}, {@code signal (namespace trusted)},
 *     {@code signal (unverified)}, {@code timeout}; null while open
 * @param step what the step then did: after an approval, each phase the run went through until its
 *     next gate (the action and its re-check, or the run's end), each prefixed with its time; after
 *     a rejection or a timeout one line starting {@code not done:}
 */
public record GateView(
    String gateId,
    String description,
    String digest,
    String openedAt,
    boolean open,
    List<String> decisions,
    String decidedBy,
    String decidedAt,
    String comment,
    String via,
    List<String> step) {}

package io.pgrunbooks.api.approvals;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /api/approvals/{workflowId}} as the OpenAPI document shows it. The
 * controller reads the body as a map ({@link DecisionRequest#from}, which refuses unknown fields);
 * this record only describes it, and a test holds its components to {@link DecisionRequest#FIELDS}.
 */
@Schema(
    name = "DecisionRequest",
    requiredProperties = {"gateId", "decision"},
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record DecisionFields(
    @Schema(description = "the gate, from the run's status or GET /api/approvals/{workflowId}") String gateId,
    @Schema(allowableValues = {"approve", "reject"}) String decision,
    @Schema(description = "the digest of the gate's description you read; required to approve") String digest,
    @Schema(description = "why; required to reject", maxLength = DecisionRequest.MAX_COMMENT) String comment,
    @Schema(
            description = "approvals only: the run refuses the approval if it reaches the gate later",
            minimum = "1",
            maximum = "604800")
        Integer expiresInSeconds) {}

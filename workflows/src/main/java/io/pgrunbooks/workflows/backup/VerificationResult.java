package io.pgrunbooks.workflows.backup;

import java.util.List;

/**
 * Result of {@link VerifyBackupWorkflow}.
 *
 * @param target the target
 * @param metadataKey the run verified
 * @param passed every object passed
 * @param objects per object, its evidence
 */
public record VerificationResult(String target, String metadataKey, boolean passed, List<ObjectVerification> objects) {}

package io.pgrunbooks.workflows.artifacts;

/**
 * A bounded excerpt of an output for history, and where the whole of it is.
 *
 * @param text the output itself when it fits (a few KB), else its first and last lines around a
 *     line saying how much was left out
 * @param totalBytes the whole output's length in UTF-8 bytes
 * @param totalLines the whole output's lines
 * @param complete whether {@code text} is the whole output
 * @param artifact where the whole output was stored; null when it fitted, or when no artifact store
 *     is configured (then {@code note} says so)
 * @param note one sentence on where the rest is, for a person; null when complete
 */
public record Excerpt(
    String text, long totalBytes, int totalLines, boolean complete, ArtifactRef artifact, String note) {}

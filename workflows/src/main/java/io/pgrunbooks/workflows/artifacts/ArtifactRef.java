package io.pgrunbooks.workflows.artifacts;

/**
 * Where a big output (a full log, a full statement list, an incident report) was stored. Small
 * enough for history; the content itself never enters it.
 *
 * @param store the object store, a name under {@code pgrunbooks.stores}
 * @param key its key: {@code <prefix>/<workflow id, slashes kept>/<name>}
 * @param bytes the content's length
 * @param sha256 the content's SHA-256, lowercase hex; reading it back checks it
 */
public record ArtifactRef(String store, String key, long bytes, String sha256) {}

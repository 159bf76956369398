package io.pgrunbooks.activities.artifacts;

import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.StorageFailures;
import io.pgrunbooks.workflows.artifacts.ArtifactRef;
import io.pgrunbooks.workflows.artifacts.Excerpt;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps big outputs (full pod and server logs, full statement lists, incident reports) out of
 * workflow history: the content goes to an object store, history gets an {@link ArtifactRef} and a
 * bounded {@link Excerpt}.
 *
 * <p>Configuration: {@code pgrunbooks.artifacts.store} names a store under {@code
 * pgrunbooks.stores} (empty: no artifact store, only excerpts are kept and they say so), {@code
 * pgrunbooks.artifacts.prefix} is the key prefix (default {@code pgrunbooks-artifacts}). Keys are
 * {@code <prefix>/<workflow id>/<name>}, the workflow id's slashes kept, so that one run's
 * artifacts list under one prefix ({@code aws s3 ls s3://bucket/pgrunbooks-artifacts/diagnose-database/link/}).
 * Writing the same name again overwrites it: an activity retried after a crash stores the same
 * artifact, not a second one.
 */
@Component
public class ArtifactStore {
  /** Failure type of an artifact whose content no longer matches its reference. */
  public static final String ARTIFACT_CORRUPT = "ArtifactCorrupt";

  /** Failure type of a put or get while no artifact store is configured. */
  public static final String NO_ARTIFACT_STORE = "NoArtifactStore";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ObjectStorage storage;
  private final String store;
  private final String prefix;

  public ArtifactStore(
      ObjectStorage storage,
      @Value("${pgrunbooks.artifacts.store:}") String store,
      @Value("${pgrunbooks.artifacts.prefix:pgrunbooks-artifacts}") String prefix) {
    this.storage = storage;
    this.store = store == null || store.isBlank() ? null : store;
    String p = prefix == null || prefix.isBlank() ? "pgrunbooks-artifacts" : prefix;
    this.prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** Whether an artifact store is configured. */
  public boolean configured() {
    return store != null;
  }

  /** Where {@code name} of run {@code workflowId} is stored: {@code <prefix>/<workflowId>/<name>}. */
  public String key(String workflowId, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("artifact name must be letters, digits, '.', '_' or '-': " + name);
    }
    if (workflowId == null || workflowId.isBlank()) {
      throw new IllegalArgumentException("no workflow id");
    }
    for (String segment : workflowId.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("workflow id " + workflowId + " has an empty, '.' or '..' segment");
      }
    }
    return prefix + "/" + workflowId + "/" + name;
  }

  /** Stores {@code content}; fails non-retryably when no artifact store is configured. */
  public ArtifactRef put(String workflowId, String name, String contentType, byte[] content) {
    requireStore();
    String key = key(workflowId, name);
    storage.put(store, key, content, contentType);
    return new ArtifactRef(store, key, content.length, sha256(content));
  }

  /** The content of {@code ref}, checked against its length and SHA-256. */
  public byte[] get(ArtifactRef ref) {
    byte[] content;
    try (InputStream in = storage.get(ref.store(), ref.key())) {
      content = in.readAllBytes();
    } catch (IOException e) {
      throw StorageFailures.of(e, ref.store(), "?", ref.key());
    }
    if (content.length != ref.bytes() || !sha256(content).equals(ref.sha256())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "artifact " + ref.key() + " in store " + ref.store() + " changed since it was written: "
              + content.length + " bytes, sha256 " + sha256(content) + "; expected " + ref.bytes() + ", " + ref.sha256(),
          ARTIFACT_CORRUPT);
    }
    return content;
  }

  /**
   * History's view of a text output: the whole text when it fits in {@code maxBytes}; else an
   * excerpt, with the whole text stored under {@code name} when a store is configured.
   */
  public Excerpt keep(String workflowId, String name, String contentType, String text, int maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int lines = (int) text.lines().count();
    if (Excerpts.fits(text, maxBytes)) {
      return new Excerpt(text, bytes.length, lines, true, null, null);
    }
    String excerpt = Excerpts.of(text, maxBytes);
    if (!configured()) {
      return new Excerpt(excerpt, bytes.length, lines, false, null,
          "no artifact store is configured (pgrunbooks.artifacts.store): only this excerpt of "
              + bytes.length + " bytes is kept");
    }
    ArtifactRef ref = put(workflowId, name, contentType, bytes);
    return new Excerpt(excerpt, bytes.length, lines, false, ref, "the whole of it is " + storage.uri(store, ref.key()));
  }

  /** {@link #keep(String, String, String, String, int)} with the default budget. */
  public Excerpt keep(String workflowId, String name, String contentType, String text) {
    return keep(workflowId, name, contentType, text, Excerpts.DEFAULT_MAX_BYTES);
  }

  private void requireStore() {
    if (!configured()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no artifact store is configured: set pgrunbooks.artifacts.store to a store under pgrunbooks.stores",
          NO_ARTIFACT_STORE);
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

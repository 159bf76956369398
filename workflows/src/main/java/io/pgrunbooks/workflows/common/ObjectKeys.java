package io.pgrunbooks.workflows.common;

import io.temporal.failure.ApplicationFailure;
import java.util.Optional;

/**
 * Object-store keys a request names (restore's objectKey, verify's metadataKey). A store treats a
 * key as an opaque name, but a filesystem-backed store (s3proxy's) or a log line may not: a key with
 * a {@code ..} segment, a leading {@code /}, a backslash or a control character (a newline forging a
 * log line) is refused by the API (400) and again by the activity that reads it (non-retryable).
 */
public final class ObjectKeys {
  /** S3's own limit, in UTF-8 bytes; characters are a close enough bound here. */
  private static final int MAX_LENGTH = 1024;

  private ObjectKeys() {}

  /** {@code key} when acceptable; else a non-retryable failure of {@code failureType} naming {@code field}. */
  public static String checked(String key, String field, String failureType) {
    problem(key).ifPresent(why -> {
      throw ApplicationFailure.newNonRetryableFailure(field + " '" + key.replaceAll("\\p{Cntrl}", "?") + "' " + why, failureType);
    });
    return key;
  }

  /** Why {@code key} is not acceptable, or empty when it is. */
  public static Optional<String> problem(String key) {
    if (key.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters");
    }
    if (key.startsWith("/")) {
      return Optional.of("starts with '/': keys are relative to the bucket");
    }
    if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
      return Optional.of("holds a control character or a backslash");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return Optional.of("has a '" + segment + "' segment");
      }
    }
    return Optional.empty();
  }
}

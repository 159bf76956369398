package io.pgrunbooks.workflows.backupfailure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Step 4, "Common Error Patterns": which of the seed's classes an error belongs to. Pure (called
 * from workflow code, so deterministic).
 *
 * <p>The backup activity's own failure types are the best evidence and are looked at first:
 * {@code DatabaseUnreachable} and {@code TransientSqlError} are connectivity; {@code
 * DatabaseAccessDenied} is authentication; {@code StorageAccessDenied}, {@code StorageNotFound},
 * {@code StorageError} and {@code TransientStorageError} are the object store (S3);
 * {@code UnresolvableSecret} is encryption when it names the encryption key, else authentication
 * (the other secret a backup resolves is the backup role's password). {@code UnknownDatabase},
 * {@code PgDumpMissing}, {@code PgDumpFailed} and the rest fall through to the text.
 *
 * <p>The text patterns are the seed's, checked most specific first: "no space left on device" /
 * "disk full" (storage) before anything else, then encryption ("encryption failed", "invalid key",
 * "openssl error", "bad decrypt", "encryption key"), then S3 ("access denied", "bucket does not
 * exist", "NoSuchBucket", "invalid credentials", "InvalidAccessKeyId", "SignatureDoesNotMatch"),
 * then authentication ("authentication failed", "permission denied", "role ... does not exist",
 * "no pg_hba.conf entry"), then connectivity ("connection refused", "timeout", "timed out", "host
 * unreachable", "could not connect", "could not translate host name"). The seed lists "timeout"
 * as network or performance: it is classed with connectivity, whose checks tell the two apart.
 */
public final class BackupFailureClassifier {
  private BackupFailureClassifier() {}

  private static final Pattern STORAGE = Pattern.compile("no space left on device|disk full|could not extend file");
  private static final Pattern ENCRYPTION =
      Pattern.compile("encryption failed|invalid key|openssl error|bad decrypt|encryption key|wrong key|key id");
  private static final Pattern S3 =
      Pattern.compile("access denied|accessdenied|bucket does not exist|nosuchbucket|invalid credentials|"
          + "invalidaccesskeyid|signaturedoesnotmatch|s3://");
  private static final Pattern AUTHENTICATION =
      Pattern.compile("authentication failed|permission denied|role \"?[^\"]*\"? does not exist|no pg_hba\\.conf entry|"
          + "password");
  private static final Pattern CONNECTIVITY =
      Pattern.compile("connection refused|timeout|timed out|host unreachable|no route to host|could not connect|"
          + "could not translate host name|connection attempt failed|server closed the connection");

  /** The class of one error, with what decided it. */
  public static ClassifiedError classify(BackupError error) {
    String type = error.errorType() == null ? "" : error.errorType();
    String text = error.message() == null ? "" : error.message().toLowerCase(Locale.ROOT);
    switch (type) {
      case "DatabaseUnreachable", "TransientSqlError" -> {
        return new ClassifiedError(FailureClass.CONNECTIVITY, "failure type " + type, error);
      }
      case "DatabaseAccessDenied" -> {
        return new ClassifiedError(FailureClass.AUTHENTICATION, "failure type " + type, error);
      }
      case "StorageAccessDenied", "StorageNotFound", "StorageError", "TransientStorageError" -> {
        return new ClassifiedError(FailureClass.S3, "failure type " + type, error);
      }
      case "UnresolvableSecret" -> {
        return ENCRYPTION.matcher(text).find()
            ? new ClassifiedError(FailureClass.ENCRYPTION, "failure type " + type + " of the encryption key", error)
            : new ClassifiedError(FailureClass.AUTHENTICATION, "failure type " + type + " of the backup role's password", error);
      }
      default -> {
        // the text decides
      }
    }
    for (var entry : List.of(
        Map.entry(FailureClass.STORAGE, STORAGE),
        Map.entry(FailureClass.ENCRYPTION, ENCRYPTION),
        Map.entry(FailureClass.S3, S3),
        Map.entry(FailureClass.AUTHENTICATION, AUTHENTICATION),
        Map.entry(FailureClass.CONNECTIVITY, CONNECTIVITY))) {
      var m = entry.getValue().matcher(text);
      if (m.find()) {
        return new ClassifiedError(entry.getKey(), "text \"" + m.group() + "\"", error);
      }
    }
    return new ClassifiedError(FailureClass.UNKNOWN, "no pattern", error);
  }

  /** Every error classified, in order. */
  public static List<ClassifiedError> classifyAll(List<BackupError> errors) {
    return errors.stream().map(BackupFailureClassifier::classify).toList();
  }

  /** The distinct classes, in the order first seen. */
  public static Set<FailureClass> classes(List<ClassifiedError> classified) {
    Set<FailureClass> classes = new LinkedHashSet<>();
    classified.forEach(c -> classes.add(c.failureClass()));
    return classes;
  }
}

package io.pgrunbooks.activities.storage;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place that decides which object-store errors are worth retrying, and says what a person
 * should do about the others.
 *
 * <p>Transient: the store answered 5xx (but 501, a feature it lacks), throttled us (503 SlowDown,
 * 429), timed out or aborted a conflicting operation (RequestTimeout, OperationAborted), or never
 * answered at all (connection refused or reset, socket and API-call timeouts, unknown host while
 * DNS is down, any I/O error): the next attempt, after Temporal's backoff, may succeed.
 *
 * <p>Not transient: rejected credentials (403 InvalidAccessKeyId, SignatureDoesNotMatch), missing
 * permission (403 AccessDenied), a skewed clock, a bucket, key or upload that does not exist (404),
 * a request the store refuses (400, 412, 501), and no credentials at all in the SDK's default
 * chain: retrying only delays the message. Messages name the store, bucket and key, never a
 * credential.
 */
public final class StorageFailures {
  /** Failure type of a store error that retrying will not fix. */
  public static final String STORAGE_ERROR = "StorageError";

  /** Failure type of credentials the store rejects or permissions it does not grant. */
  public static final String ACCESS_DENIED = "StorageAccessDenied";

  /** Failure type of a bucket, key or multipart upload that does not exist. */
  public static final String NOT_FOUND = "StorageNotFound";

  /** Failure type of an error the next attempt may not see. */
  public static final String TRANSIENT_STORAGE_ERROR = "TransientStorageError";

  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
          "TooManyRequests", "RequestTimeout", "OperationAborted", "InternalError",
          "ServiceUnavailable");

  private static final Set<String> REJECTED_CREDENTIALS =
      Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken");

  private StorageFailures() {}

  /** Whether the store rejected the key pair itself (unknown key, bad signature, expired token), not a permission. */
  public static boolean rejectsCredentials(Throwable e) {
    return e instanceof AwsServiceException s && code(s) != null && REJECTED_CREDENTIALS.contains(code(s));
  }

  /** Whether this error may go away by itself. */
  public static boolean isTransient(Throwable e) {
    if (e instanceof AwsServiceException s) {
      int status = s.statusCode();
      String code = code(s);
      return (code != null && TRANSIENT_CODES.contains(code))
          || s.isThrottlingException()
          || status == 429
          || (status >= 500 && status != 501);
    }
    if (e instanceof SdkClientException c) {
      return !isMissingCredentials(c); // the request never got an answer
    }
    return e instanceof IOException || e instanceof UncheckedIOException;
  }

  /**
   * The exception an activity throws for a storage error: retryable or not, per {@link
   * #isTransient}. An {@link ApplicationFailure} passes through unchanged.
   *
   * @param key the object's key, or the prefix of a listing; null for the bucket itself
   */
  public static ApplicationFailure of(Throwable e, String store, String bucket, String key) {
    if (e instanceof ApplicationFailure failure) {
      return failure;
    }
    String where = "store " + store + " (s3://" + bucket + "/" + (key == null ? "" : key) + "): ";
    if (isTransient(e)) {
      return ApplicationFailure.newFailure(where + transientMessage(e), TRANSIENT_STORAGE_ERROR);
    }
    if (e instanceof AwsServiceException s) {
      return permanent(where, s, store, bucket, key);
    }
    if (e instanceof SdkClientException c && isMissingCredentials(c)) {
      return ApplicationFailure.newNonRetryableFailure(
          where + "no credentials: set access-key-ref and secret-key-ref of pgrunbooks.stores."
              + store + ", or give the worker AWS credentials (environment, profile, instance or pod role)",
          ACCESS_DENIED);
    }
    return ApplicationFailure.newNonRetryableFailure(where + describe(e), STORAGE_ERROR);
  }

  private static String transientMessage(Throwable e) {
    if (e instanceof AwsServiceException s) {
      return "the store is failing or throttling (" + status(s) + "); will be retried: " + serviceMessage(s);
    }
    return "cannot reach the store: " + describe(e)
        + "; will be retried (check that the endpoint is right and the store is up)";
  }

  private static ApplicationFailure permanent(
      String where, AwsServiceException s, String store, String bucket, String key) {
    String code = code(s);
    int status = s.statusCode();
    String settings = "pgrunbooks.stores." + store;
    if (code != null && REJECTED_CREDENTIALS.contains(code)) {
      return ApplicationFailure.newNonRetryableFailure(
          where + "the store rejects the credentials (" + status(s) + "): check that access-key-ref and"
              + " secret-key-ref of " + settings + " name a valid key pair for this endpoint",
          ACCESS_DENIED);
    }
    if ("RequestTimeTooSkewed".equals(code)) {
      return ApplicationFailure.newNonRetryableFailure(
          where + "the worker's clock differs from the store's by more than 15 minutes ("
              + status(s) + "): fix the worker's time synchronization (NTP)",
          ACCESS_DENIED);
    }
    if (status == 403) {
      return ApplicationFailure.newNonRetryableFailure(
          where + "access denied (" + status(s) + "): the credentials of " + settings
              + " lack permission on bucket " + bucket + " (s3:PutObject, s3:GetObject, s3:ListBucket,"
              + " s3:AbortMultipartUpload, s3:ListBucketMultipartUploads), or are wrong",
          ACCESS_DENIED);
    }
    if ("NoSuchBucket".equals(code)) {
      return ApplicationFailure.newNonRetryableFailure(
          where + "bucket " + bucket + " does not exist (" + status(s) + "): create it or fix "
              + settings + ".bucket",
          NOT_FOUND);
    }
    if ("NoSuchUpload".equals(code)) {
      return ApplicationFailure.newNonRetryableFailure(
          where + "the multipart upload no longer exists (" + status(s)
              + "): it was aborted or completed elsewhere; start the upload again",
          NOT_FOUND);
    }
    if (status == 404) {
      return ApplicationFailure.newNonRetryableFailure(
          where + "no such object (" + status(s) + ")", NOT_FOUND);
    }
    return ApplicationFailure.newNonRetryableFailure(
        where + "the store refuses the request (" + status(s) + "): " + serviceMessage(s),
        STORAGE_ERROR);
  }

  /** The SDK says this when no provider of its default chain found credentials. */
  private static boolean isMissingCredentials(SdkClientException e) {
    String message = e.getMessage();
    return message != null && message.startsWith("Unable to load credentials");
  }

  private static String code(AwsServiceException s) {
    return s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
  }

  private static String status(AwsServiceException s) {
    String code = code(s);
    return s.statusCode() + (code == null ? "" : " " + code);
  }

  private static String serviceMessage(AwsServiceException s) {
    String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
    return message == null ? "no message" : message;
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}

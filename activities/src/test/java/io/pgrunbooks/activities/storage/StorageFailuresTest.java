package io.pgrunbooks.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** One case per class of error the classifier decides on. */
class StorageFailuresTest {

  private static S3Exception serviceError(int status, String code, String message) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .message(message)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3").build())
            .build();
  }

  @ParameterizedTest(name = "{0} {1} transient: {2}, type {3}")
  @CsvSource({
    "500, InternalError, true, TransientStorageError",
    "502, BadGateway, true, TransientStorageError",
    "503, SlowDown, true, TransientStorageError",
    "503, ServiceUnavailable, true, TransientStorageError",
    "504, GatewayTimeout, true, TransientStorageError",
    "429, TooManyRequests, true, TransientStorageError",
    "400, RequestTimeout, true, TransientStorageError",
    "409, OperationAborted, true, TransientStorageError",
    "403, AccessDenied, false, StorageAccessDenied",
    "403, InvalidAccessKeyId, false, StorageAccessDenied",
    "403, SignatureDoesNotMatch, false, StorageAccessDenied",
    "403, RequestTimeTooSkewed, false, StorageAccessDenied",
    "400, ExpiredToken, false, StorageAccessDenied",
    "404, NoSuchBucket, false, StorageNotFound",
    "404, NoSuchKey, false, StorageNotFound",
    "404, NoSuchUpload, false, StorageNotFound",
    "400, InvalidRequest, false, StorageError",
    "400, InvalidStorageClass, false, StorageError",
    "400, EntityTooSmall, false, StorageError",
    "412, PreconditionFailed, false, StorageError",
    "501, NotImplemented, false, StorageError"
  })
  void classifiesServiceErrors(int status, String code, boolean transientError, String type) {
    S3Exception e = serviceError(status, code, "the store's words");
    assertThat(StorageFailures.isTransient(e)).as("%s %s", status, code).isEqualTo(transientError);
    ApplicationFailure failure = StorageFailures.of(e, "backups", "pg-backups", "demo/app.dump");
    assertThat(failure.isNonRetryable()).isEqualTo(!transientError);
    assertThat(failure.getType()).isEqualTo(type);
    assertThat(failure.getOriginalMessage())
        .startsWith("store backups (s3://pg-backups/demo/app.dump): ")
        .contains(Integer.toString(status));
  }

  @Test
  void aHeadRequestRefusedWithoutAnErrorCodeIsAccessDenied() {
    S3Exception e = (S3Exception) S3Exception.builder().statusCode(403).build();
    ApplicationFailure failure = StorageFailures.of(e, "backups", "pg-backups", "k");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(StorageFailures.ACCESS_DENIED);
    assertThat(failure.getOriginalMessage()).contains("access denied (403)", "pgrunbooks.stores.backups");
  }

  @Test
  void rejectedCredentialsPointAtTheSecretReferences() {
    ApplicationFailure failure =
        StorageFailures.of(serviceError(403, "SignatureDoesNotMatch", "x"), "backups", "b", "k");
    assertThat(failure.getOriginalMessage())
        .contains("rejects the credentials", "access-key-ref", "secret-key-ref", "pgrunbooks.stores.backups");
  }

  @Test
  void aMissingBucketSaysWhichBucketAndSetting() {
    ApplicationFailure failure =
        StorageFailures.of(serviceError(404, "NoSuchBucket", "x"), "backups", "pg-backups", "k");
    assertThat(failure.getOriginalMessage())
        .contains("bucket pg-backups does not exist", "pgrunbooks.stores.backups.bucket");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"connection refused", "read timed out", "unknown host"})
  void transportFailuresAreTransient(String what) {
    Throwable cause =
        switch (what) {
          case "connection refused" -> new ConnectException("Connection refused");
          case "read timed out" -> new SocketTimeoutException("Read timed out");
          default -> new UnknownHostException("minio.internal");
        };
    SdkClientException e = SdkClientException.create("Unable to execute HTTP request: " + cause.getMessage(), cause);
    assertThat(StorageFailures.isTransient(e)).isTrue();
    ApplicationFailure failure = StorageFailures.of(e, "backups", "pg-backups", "k");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getType()).isEqualTo(StorageFailures.TRANSIENT_STORAGE_ERROR);
    assertThat(failure.getOriginalMessage()).contains("cannot reach the store", cause.getMessage());
  }

  @Test
  void anApiCallTimeoutIsTransient() {
    assertThat(StorageFailures.isTransient(ApiCallTimeoutException.create(30_000))).isTrue();
  }

  @Test
  void anIoErrorWhileStreamingIsTransient() {
    IOException e = new IOException("Premature end of Content-Length delimited message body");
    assertThat(StorageFailures.isTransient(e)).isTrue();
    assertThat(StorageFailures.of(e, "backups", "b", "k").isNonRetryable()).isFalse();
  }

  @Test
  void noCredentialsInTheDefaultChainIsBadConfiguration() {
    SdkClientException e =
        SdkClientException.create(
            "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(...)");
    assertThat(StorageFailures.isTransient(e)).isFalse();
    ApplicationFailure failure = StorageFailures.of(e, "backups", "b", "k");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(StorageFailures.ACCESS_DENIED);
    assertThat(failure.getOriginalMessage()).contains("no credentials", "access-key-ref");
  }

  @Test
  void aProgrammingErrorIsNotRetried() {
    assertThat(StorageFailures.of(new IllegalArgumentException("bad key"), "s", "b", "k").isNonRetryable()).isTrue();
  }

  @Test
  void anApplicationFailurePassesThroughUnchanged() {
    ApplicationFailure original = ApplicationFailure.newFailure("already classified", "X");
    assertThat(StorageFailures.of(original, "s", "b", "k")).isSameAs(original);
  }
}

package io.pgrunbooks.workflows.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BackupFailureClassifierTest {

  @ParameterizedTest(name = "type {0} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "DatabaseUnreachable|database 'app' on target link: Connection to 127.0.0.1:5432 refused|CONNECTIVITY",
      "TransientSqlError|target link: the connection attempt failed|CONNECTIVITY",
      "DatabaseAccessDenied|FATAL: password authentication failed for user \"backup\" (SQLSTATE 28P01)|AUTHENTICATION",
      "StorageAccessDenied|store s (s3://b/): access denied (403 AccessDenied)|S3",
      "StorageNotFound|store s (s3://b/): bucket b does not exist (404 NoSuchBucket)|S3",
      "StorageError|store s (s3://b/k): the store refuses the request (400)|S3",
      "TransientStorageError|store s (s3://b/k): cannot reach the store|S3",
      "UnresolvableSecret|encryption key reference 'env:K' resolves to an empty passphrase|ENCRYPTION",
      "UnresolvableSecret|secret reference 'env:BACKUP_PASSWORD' cannot be resolved: environment variable BACKUP_PASSWORD is not set|AUTHENTICATION",
  })
  void theBackupActivitysFailureTypesDecideFirst(String type, String message, FailureClass expected) {
    ClassifiedError c = BackupFailureClassifier.classify(new BackupError("temporal:b1", type, message));
    assertThat(c.failureClass()).isEqualTo(expected);
    assertThat(c.evidence()).startsWith("failure type " + type);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "pg_dump: error: connection to server at \"db\" (10.0.0.1), port 5432 failed: Connection refused|CONNECTIVITY",
      "pg_dump: error: timeout expired|CONNECTIVITY",
      "connect: No route to host; host unreachable|CONNECTIVITY",
      "could not translate host name \"postgres-primary\" to address|CONNECTIVITY",
      "FATAL:  password authentication failed for user \"backup_user\"|AUTHENTICATION",
      "pg_dump: error: query failed: ERROR:  permission denied for table users|AUTHENTICATION",
      "FATAL:  role \"backup_user\" does not exist|AUTHENTICATION",
      "could not write to file \"/tmp/x.sql\": No space left on device|STORAGE",
      "write error: disk full|STORAGE",
      "upload failed: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied|S3",
      "An error occurred (NoSuchBucket): The specified bucket does not exist|S3",
      "An error occurred (InvalidAccessKeyId) when calling the ListObjectsV2 operation|S3",
      "encryption failed|ENCRYPTION",
      "bad decrypt: invalid key length|ENCRYPTION",
      "openssl error 0x0680008E|ENCRYPTION",
  })
  void theSeedsTextPatterns(String text, FailureClass expected) {
    assertThat(BackupFailureClassifier.classify(new BackupError("kubernetes:job", null, text)).failureClass()).isEqualTo(expected);
  }

  @Test
  void anUnknownDatabaseOrAnythingElseIsUnknownWithItsText() {
    BackupError error = new BackupError("temporal:b1", "UnknownDatabase", "database 'nope' on target link: database \"nope\" does not exist");
    ClassifiedError c = BackupFailureClassifier.classify(error);
    assertThat(c.failureClass()).isEqualTo(FailureClass.UNKNOWN);
    assertThat(c.evidence()).isEqualTo("no pattern");
    assertThat(c.error()).isEqualTo(error);
  }

  @Test
  void classesKeepTheOrderFirstSeen() {
    List<ClassifiedError> all = BackupFailureClassifier.classifyAll(List.of(
        new BackupError("a", "StorageAccessDenied", "x"),
        new BackupError("b", "DatabaseUnreachable", "y"),
        new BackupError("c", "StorageNotFound", "z")));
    assertThat(BackupFailureClassifier.classes(all)).containsExactly(FailureClass.S3, FailureClass.CONNECTIVITY);
  }
}

package io.pgrunbooks.activities.backupfailure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrunbooks.activities.storage.S3Clients;
import io.pgrunbooks.activities.storage.StorageFailures;
import io.pgrunbooks.activities.storage.StoreConfig;
import io.pgrunbooks.activities.storage.StoreRegistry;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.backupfailure.StoreProbe;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Scenario 4, the seed's {@code aws s3 ls s3://link-backups/ --debug} and {@code aws s3api
 * get-bucket-policy}, with the target's store and the worker's credentials for it: HeadBucket, a list
 * of the backup prefix, a put, a get and a delete of a small probe object, and the bucket's policy.
 *
 * <p>Each refused step is named with the IAM permission it needs (the seed's "verify IAM user
 * permissions" answered from what the store refused, since {@code aws iam get-user-policy} needs IAM
 * rights a backup's key pair should not have, and a bucket policy or an SCP may deny what the user
 * policy allows). The list is independent of the put, so both are tried; the get and the delete need
 * the probe object, so they run only after a put passed. A key pair the store rejects is not a missing
 * permission: then none is named.
 */
final class ObjectStoreProbe {
  static final String PROBE_KEY = ".pg-runbooks-probe";
  static final String PROBE_TEXT = "probe";
  /** Statements of a bucket policy summarised; the rest are counted. */
  static final int MAX_STATEMENTS = 8;
  /** Codes of a store that does not implement a bucket sub-resource (s3proxy answers NotImplemented). */
  static final Set<String> NOT_IMPLEMENTED = Set.of("NotImplemented", "NotSupported");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A probe step and the permission AWS checks for it. */
  private enum Step {
    HEAD_BUCKET("HeadBucket", "s3:ListBucket"),
    LIST("list", "s3:ListBucket"),
    PUT("put", "s3:PutObject"),
    GET("get", "s3:GetObject"),
    DELETE("delete", "s3:DeleteObject");

    final String word;
    final String permission;

    Step(String word, String permission) {
      this.word = word;
      this.permission = permission;
    }
  }

  private final StoreRegistry stores;
  private final S3Clients s3;

  ObjectStoreProbe(StoreRegistry stores, S3Clients s3) {
    this.stores = stores;
    this.s3 = s3;
  }

  StoreProbe probe(String target, TargetConfig config) {
    String store = config.backup() == null ? null : config.backup().store();
    if (store == null) {
      return new StoreProbe(null, null, false, false, false, false, null,
          "no store configured: set pgrunbooks.targets." + target + ".backup.store", null, false);
    }
    StoreConfig storeConfig = stores.get(store);
    String bucket = storeConfig.bucket();
    String endpoint = storeConfig.endpoint() == null ? null : storeConfig.endpoint().toString();
    String prefix = config.backup().prefix() + "/";
    String key = prefix + PROBE_KEY;
    S3Client client = s3.client(store);
    // HeadBucket first: without the bucket, or with a key pair the store rejects, nothing else can pass.
    try {
      client.headBucket(r -> r.bucket(bucket));
    } catch (RuntimeException refused) {
      RuntimeException e = explainHeadBucket(client, bucket, prefix, refused);
      ApplicationFailure failure = StorageFailures.of(e, store, bucket, null);
      boolean missing = e instanceof AwsServiceException s && s.statusCode() == 404;
      return new StoreProbe(store, bucket, false, false, false, false, denied(failure, e) ? Step.HEAD_BUCKET.permission : null,
          "HeadBucket failed: " + (missing ? "bucket " + bucket + " does not exist (404 NoSuchBucket)" : failure.getOriginalMessage()),
          endpoint, missing);
    }
    Steps steps = new Steps(store, bucket);
    boolean listed = steps.run(Step.LIST, prefix, () -> client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1)));
    boolean written = steps.run(Step.PUT, key, () -> client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(PROBE_TEXT)));
    boolean read = false;
    boolean deleted = false;
    if (written) {
      read = steps.run(Step.GET, key, () -> {
        String back = client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
        if (!PROBE_TEXT.equals(back)) {
          throw ApplicationFailure.newNonRetryableFailure(
              "the probe object reads back as " + back.length() + " other bytes than were put", StorageFailures.STORAGE_ERROR);
        }
      });
      deleted = steps.run(Step.DELETE, key, () -> client.deleteObject(r -> r.bucket(bucket).key(key)));
      if (!deleted) {
        steps.note("the probe object s3://" + bucket + "/" + key + " stays until it can be deleted");
      }
    } else {
      steps.note("get and delete not tried: there is no probe object");
    }
    return new StoreProbe(store, bucket, true, listed, written, deleted, steps.missingPermissions(), steps.problem(), endpoint, false,
        read, bucketPolicy(client, store, bucket));
  }

  /** What the failed steps said, and the permissions the refused ones need. */
  private static final class Steps {
    private final String store;
    private final String bucket;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> missing = new LinkedHashSet<>();

    Steps(String store, String bucket) {
      this.store = store;
      this.bucket = bucket;
    }

    boolean run(Step step, String key, Runnable call) {
      try {
        call.run();
        return true;
      } catch (RuntimeException e) {
        ApplicationFailure failure = StorageFailures.of(e, store, bucket, key);
        if (denied(failure, e)) {
          missing.add(step.permission);
        }
        problems.add(step.word + " failed: " + failure.getOriginalMessage());
        return false;
      }
    }

    void note(String note) {
      problems.add(note);
    }

    String missingPermissions() {
      return missing.isEmpty() ? null : String.join(", ", missing);
    }

    String problem() {
      return problems.isEmpty() ? null : String.join("; ", problems);
    }
  }

  /** Refused for want of a permission (403), not for a key pair the store does not know. */
  private static boolean denied(ApplicationFailure failure, RuntimeException e) {
    return StorageFailures.ACCESS_DENIED.equals(failure.getType()) && !StorageFailures.rejectsCredentials(e);
  }

  /**
   * A refused HeadBucket has no body, so no error code: a 403 may be a missing s3:ListBucket or a
   * wrong key pair. A listing, which has a body, tells the two apart; when it says the credentials
   * are rejected, that is the reason HeadBucket gave 403 (the probe still names HeadBucket as the step).
   */
  private static RuntimeException explainHeadBucket(S3Client client, String bucket, String prefix, RuntimeException refused) {
    if (!(refused instanceof AwsServiceException s) || s.statusCode() != 403
        || (s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null)) {
      return refused;
    }
    try {
      client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1));
      return refused;
    } catch (RuntimeException listed) {
      return StorageFailures.rejectsCredentials(listed) ? listed : refused;
    }
  }

  /**
   * The seed's {@code aws s3api get-bucket-policy}: the statements summarised, "none set" (404
   * NoSuchBucketPolicy; s3proxy 4.1, which has no bucket policies, answers 404 NoSuchPolicy for every
   * bucket), "not offered by this server" (501 NotImplemented, as some appliances answer), or why it
   * could not be read. AWS answers 405 MethodNotAllowed to an identity of another account
   * than the bucket owner's even when it holds s3:GetBucketPolicy, so that is said as such.
   */
  static String bucketPolicy(S3Client client, String store, String bucket) {
    try {
      return summarise(client.getBucketPolicy(r -> r.bucket(bucket)).policy());
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String said = code == null ? "HTTP " + e.statusCode() : e.statusCode() + " " + code;
      if ("NoSuchBucketPolicy".equals(code) || "NoSuchPolicy".equals(code)) {
        return "none set (" + said + ")";
      }
      if ((code != null && NOT_IMPLEMENTED.contains(code)) || e.statusCode() == 501) {
        return "not offered by this server (" + said + ")";
      }
      if ("MethodNotAllowed".equals(code) || e.statusCode() == 405) {
        return "not readable (" + said + "): only an identity of the bucket owner's account may read it";
      }
      if (e.statusCode() == 403 && !StorageFailures.rejectsCredentials(e)) {
        return "not readable (" + said + "): missing permission s3:GetBucketPolicy";
      }
      return "not readable: " + StorageFailures.of(e, store, bucket, null).getOriginalMessage();
    } catch (RuntimeException e) {
      return "not readable: " + StorageFailures.of(e, store, bucket, null).getOriginalMessage();
    }
  }

  /**
   * "2 statement(s): DenyInsecure: Deny s3:* on arn:aws:s3:::b, arn:aws:s3:::b/* to * when Bool
   * aws:SecureTransport; Allow s3:GetObject on arn:aws:s3:::b/* to arn:aws:iam::1:user/backup".
   */
  static String summarise(String policy) {
    JsonNode root;
    try {
      root = JSON.readTree(policy);
    } catch (JsonProcessingException e) {
      return "set, but not JSON (" + e.getOriginalMessage() + ")";
    }
    JsonNode statement = root == null ? null : root.get("Statement");
    List<JsonNode> statements = statement == null ? List.of()
        : statement.isArray() ? StreamSupport.stream(statement.spliterator(), false).toList() : List.of(statement);
    if (statements.isEmpty()) {
      return "set, with no statements";
    }
    List<String> parts = new ArrayList<>(statements.stream().limit(MAX_STATEMENTS).map(ObjectStoreProbe::statement).toList());
    if (statements.size() > MAX_STATEMENTS) {
      parts.add((statements.size() - MAX_STATEMENTS) + " more");
    }
    return statements.size() + " statement(s): " + String.join("; ", parts);
  }

  private static String statement(JsonNode s) {
    String sid = s.path("Sid").asText("");
    List<String> conditions = new ArrayList<>();
    s.path("Condition").properties().forEach(operator ->
        conditions.add(operator.getKey() + " " + String.join(", ", iterable(operator.getValue().fieldNames()))));
    return (sid.isEmpty() ? "" : sid + ": ") + s.path("Effect").asText("?")
        + " " + either(s, "Action", "NotAction") + " on " + either(s, "Resource", "NotResource")
        + " to " + either(s, "Principal", "NotPrincipal")
        + (conditions.isEmpty() ? "" : " when " + String.join(" and ", conditions));
  }

  /** The values of {@code field}, or "all but" those of {@code notField}. */
  private static String either(JsonNode s, String field, String notField) {
    if (s.has(field)) {
      return values(s.get(field));
    }
    return s.has(notField) ? "all but " + values(s.get(notField)) : "?";
  }

  /** A string, an array of strings, or a principal object ({"AWS": ..., "Service": ...}). */
  private static String values(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> out.add(values(v)));
    } else if (node.isObject()) {
      node.properties().forEach(e -> out.add(values(e.getValue())));
    } else {
      out.add(node.toString());
    }
    return String.join(", ", out);
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }
}

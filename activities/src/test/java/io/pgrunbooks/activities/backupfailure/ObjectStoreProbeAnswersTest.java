package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.S3Clients;
import io.pgrunbooks.activities.storage.StoreConfig;
import io.pgrunbooks.activities.storage.StoreRegistry;
import io.pgrunbooks.activities.storage.StoresProperties;
import io.pgrunbooks.workflows.backupfailure.StoreProbe;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers of AWS S3 that s3proxy cannot give (it has no IAM and no bucket policies), from a
 * loopback endpoint that refuses one operation per bucket as AWS does (403 AccessDenied) and answers
 * GetBucketPolicy with a policy, 404 NoSuchBucketPolicy, 403, 405 (another account) or 501.
 */
class ObjectStoreProbeAnswersTest {
  static final String POLICY =
      """
      {"Version":"2012-10-17","Statement":[
        {"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*",
         "Resource":["arn:aws:s3:::deny-list-delete","arn:aws:s3:::deny-list-delete/*"],
         "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
        {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/backup"},
         "Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::deny-list-delete/*"}]}
      """;

  static HttpServer s3;
  static ObjectStoreProbe probe;
  @TempDir static Path keys;

  /** What each bucket refuses (operation names as below), and how it answers GetBucketPolicy. */
  static final Map<String, List<String>> REFUSED = Map.of(
      "deny-list-delete", List.of("list", "delete"),
      "deny-put", List.of("put"),
      "deny-get", List.of("get"),
      "deny-head", List.of("head", "list"),
      "other-account", List.of(),
      "no-policy-api", List.of());

  @BeforeAll
  static void start() throws IOException {
    s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s3.createContext("/", ObjectStoreProbeAnswersTest::answer);
    s3.start();
    Files.writeString(keys.resolve("access"), "AKIATEST");
    Files.writeString(keys.resolve("secret"), "secret");
    URI endpoint = URI.create("http://127.0.0.1:" + s3.getAddress().getPort());
    Map<String, StoreConfig> stores = new HashMap<>();
    REFUSED.keySet().forEach(bucket -> stores.put(bucket,
        StoreConfig.of(endpoint, bucket, "file:" + keys.resolve("access"), "file:" + keys.resolve("secret"))));
    StoreRegistry registry = new StoreRegistry(new StoresProperties(stores));
    probe = new ObjectStoreProbe(registry,
        new S3Clients(registry, new SecretResolver(() -> { throw new IllegalStateException("no Kubernetes here"); })));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.stop(0);
    }
  }

  private static void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String[] path = exchange.getRequestURI().getPath().substring(1).split("/", 2);
    String bucket = path[0];
    String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
    String method = exchange.getRequestMethod();
    String operation = path.length > 1 ? Map.of("PUT", "put", "GET", "get", "DELETE", "delete").get(method)
        : method.equals("HEAD") ? "head" : query.startsWith("policy") ? "policy" : "list";
    if (REFUSED.get(bucket).contains(operation)) {
      send(exchange, 403, operation.equals("head") ? null : error("AccessDenied", "Access Denied"));
    } else if (operation.equals("policy")) {
      switch (bucket) {
        case "deny-list-delete" -> send(exchange, 200, POLICY);
        case "deny-put" -> send(exchange, 404, error("NoSuchBucketPolicy", "The bucket policy does not exist"));
        case "deny-get" -> send(exchange, 403, error("AccessDenied", "Access Denied"));
        case "other-account" -> send(exchange, 405, error("MethodNotAllowed", "The specified method is not allowed against this resource."));
        default -> send(exchange, 501, error("NotImplemented", "A header you provided implies functionality that is not implemented"));
      }
    } else {
      switch (operation) {
        case "list" -> send(exchange, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult"
            + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name><Prefix>postgres-backups/</Prefix>"
            + "<KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>");
        case "get" -> send(exchange, 200, ObjectStoreProbe.PROBE_TEXT);
        case "delete" -> send(exchange, 204, null);
        default -> send(exchange, 200, null);
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().set("ETag", "\"0123456789abcdef\"");
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", body.startsWith("<") ? "application/xml" : "application/octet-stream");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
        + "</Message><RequestId>r1</RequestId></Error>";
  }

  private static StoreProbe probe(String bucket) {
    return probe.probe("link", BucketReplicationAgainstS3ProxyTest.target(bucket));
  }

  @Test
  void aRefusedListAndDeleteAreBothNamedAndThePolicyIsSummarised() {
    StoreProbe p = probe("deny-list-delete");

    assertThat(p.ok()).isFalse();
    assertThat(p.listed()).isFalse();
    assertThat(p.written()).isTrue();
    assertThat(p.read()).isTrue();
    assertThat(p.deleted()).isFalse();
    assertThat(p.missingPermission()).isEqualTo("s3:ListBucket, s3:DeleteObject");
    assertThat(p.problem()).startsWith("list failed: store deny-list-delete (s3://deny-list-delete/postgres-backups/): access denied")
        .contains("; delete failed: ")
        .endsWith("; the probe object s3://deny-list-delete/postgres-backups/.pg-runbooks-probe stays until it can be deleted");
    assertThat(p.bucketPolicy()).isEqualTo("2 statement(s): DenyInsecure: Deny s3:* on arn:aws:s3:::deny-list-delete,"
        + " arn:aws:s3:::deny-list-delete/* to * when Bool aws:SecureTransport; Allow s3:PutObject, s3:GetObject on"
        + " arn:aws:s3:::deny-list-delete/* to arn:aws:iam::123456789012:user/backup");
    assertThat(p.describe()).contains("(missing permissions: s3:ListBucket, s3:DeleteObject); bucket policy: 2 statement(s)");
  }

  @Test
  void aRefusedPutNamesPutObjectAndTriesNeitherGetNorDelete() {
    StoreProbe p = probe("deny-put");

    assertThat(p.listed()).isTrue();
    assertThat(p.written()).isFalse();
    assertThat(p.read()).isFalse();
    assertThat(p.deleted()).isFalse();
    assertThat(p.missingPermission()).isEqualTo("s3:PutObject");
    assertThat(p.problem()).startsWith("put failed: ").endsWith("; get and delete not tried: there is no probe object");
    assertThat(p.bucketPolicy()).isEqualTo("none set (404 NoSuchBucketPolicy)");
    assertThat(p.describe()).contains("(missing permission: s3:PutObject)");
  }

  @Test
  void aRefusedGetNamesGetObjectStillDeletesTheProbeAndSaysThePolicyNeedsGetBucketPolicy() {
    StoreProbe p = probe("deny-get");

    assertThat(p.read()).isFalse();
    assertThat(p.deleted()).as("the probe object is cleaned up").isTrue();
    assertThat(p.ok()).as("a backup that cannot be read back cannot be verified").isFalse();
    assertThat(p.missingPermission()).isEqualTo("s3:GetObject");
    assertThat(p.problem()).startsWith("get failed: ").doesNotContain("delete failed");
    assertThat(p.bucketPolicy()).isEqualTo("not readable (403 AccessDenied): missing permission s3:GetBucketPolicy");
  }

  @Test
  void aHeadBucketRefusedWithoutABodyIsAMissingListBucketWhenTheListSaysAccessDenied() {
    StoreProbe p = probe("deny-head");

    assertThat(p.bucketExists()).isFalse();
    assertThat(p.bucketMissing()).isFalse();
    assertThat(p.missingPermission()).isEqualTo("s3:ListBucket");
    assertThat(p.problem()).startsWith("HeadBucket failed: ");
    assertThat(p.bucketPolicy()).isNull();
  }

  @Test
  void anotherAccountsIdentityAndAServerWithoutPoliciesAreSaidAsSuch() {
    StoreProbe other = probe("other-account");
    assertThat(other.ok()).as(other.describe()).isTrue();
    assertThat(other.bucketPolicy()).isEqualTo("not readable (405 MethodNotAllowed): only an identity of the bucket owner's account may read it");

    StoreProbe none = probe("no-policy-api");
    assertThat(none.ok()).isTrue();
    assertThat(none.bucketPolicy()).isEqualTo("not offered by this server (501 NotImplemented)");
    assertThat(none.describe()).endsWith("HeadBucket, list, put, get and delete all pass; bucket policy: not offered by this server (501 NotImplemented)");
  }

  @Test
  void policiesThatAreOddStillSaySomething() {
    assertThat(ObjectStoreProbe.summarise("{\"Statement\":{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"a\",\"b\"]},"
        + "\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}}"))
        .isEqualTo("1 statement(s): Deny all but s3:GetObject on * to all but a, b");
    assertThat(ObjectStoreProbe.summarise("{\"Version\":\"2012-10-17\"}")).isEqualTo("set, with no statements");
    assertThat(ObjectStoreProbe.summarise("not json")).startsWith("set, but not JSON (");
    StringBuilder many = new StringBuilder("{\"Statement\":[");
    for (int i = 0; i < 10; i++) {
      many.append(i == 0 ? "" : ",").append("{\"Sid\":\"s").append(i).append("\",\"Effect\":\"Allow\"}");
    }
    assertThat(ObjectStoreProbe.summarise(many.append("]}").toString())).startsWith("10 statement(s): s0: Allow ? on ? to ?; ")
        .endsWith("; s7: Allow ? on ? to ?; 2 more");
  }
}

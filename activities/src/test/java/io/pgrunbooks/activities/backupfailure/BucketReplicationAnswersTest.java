package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.S3Clients;
import io.pgrunbooks.activities.storage.StoreConfig;
import io.pgrunbooks.activities.storage.StoreRegistry;
import io.pgrunbooks.activities.storage.StoresProperties;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.backupfailure.BucketReplication;
import io.pgrunbooks.workflows.backupfailure.BucketReplication.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers of AWS S3 that s3proxy cannot give, from a loopback endpoint answering
 * GetBucketReplication as AWS documents it: rules configured, none configured, access denied.
 */
class BucketReplicationAnswersTest {
  static final String CONFIGURED =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Role>arn:aws:iam::123456789012:role/replication</Role>
        <Rule><ID>to-eu</ID><Status>Enabled</Status><Priority>1</Priority>
          <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
          <Filter><Prefix>postgres-backups/</Prefix></Filter>
          <Destination><Bucket>arn:aws:s3:::link-backups-eu</Bucket><StorageClass>STANDARD_IA</StorageClass></Destination></Rule>
        <Rule><ID>old</ID><Status>Disabled</Status><Priority>2</Priority>
          <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
          <Filter><Prefix>old/</Prefix></Filter>
          <Destination><Bucket>arn:aws:s3:::link-backups-us</Bucket></Destination></Rule>
      </ReplicationConfiguration>
      """;

  static HttpServer s3;
  static BackupStoreActivitiesImpl activities;
  @TempDir static Path keys;

  @BeforeAll
  static void start() throws IOException {
    s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s3.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      boolean replication = query != null && query.startsWith("replication");
      int status;
      String body;
      if (!replication) {
        status = 400;
        body = error("InvalidRequest", "only GetBucketReplication here");
      } else if (path.startsWith("/configured")) {
        status = 200;
        body = CONFIGURED;
      } else if (path.startsWith("/none")) {
        status = 404;
        body = error("ReplicationConfigurationNotFoundError", "The replication configuration was not found");
      } else {
        status = 403;
        body = error("AccessDenied", "Access Denied");
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/xml");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    s3.start();
    Files.writeString(keys.resolve("access"), "AKIATEST");
    Files.writeString(keys.resolve("secret"), "secret");
    URI endpoint = URI.create("http://127.0.0.1:" + s3.getAddress().getPort());
    StoreRegistry stores =
        new StoreRegistry(
            new StoresProperties(
                Map.of(
                    "configured", store(endpoint, "configured"),
                    "none", store(endpoint, "none"),
                    "denied", store(endpoint, "denied"))));
    TargetRegistry targets =
        new TargetRegistry(
            new TargetsProperties(
                Map.of(
                    "configured", BucketReplicationAgainstS3ProxyTest.target("configured"),
                    "none", BucketReplicationAgainstS3ProxyTest.target("none"),
                    "denied", BucketReplicationAgainstS3ProxyTest.target("denied"))));
    S3Clients clients =
        new S3Clients(stores, new SecretResolver(() -> { throw new IllegalStateException("no Kubernetes here"); }));
    activities = new BackupStoreActivitiesImpl(targets, stores, clients);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.stop(0);
    }
  }

  static StoreConfig store(URI endpoint, String bucket) {
    return StoreConfig.of(endpoint, bucket, "file:" + keys.resolve("access"), "file:" + keys.resolve("secret"));
  }

  static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
        + "</Message><RequestId>r1</RequestId></Error>";
  }

  @Test
  void configuredRulesAreListedAndTheEnabledOnesCounted() {
    BucketReplication replication = activities.checkBucketReplication("configured");

    assertThat(replication.status()).isEqualTo(Status.CONFIGURED);
    assertThat(replication.rules())
        .containsExactly(
            "to-eu: Enabled -> arn:aws:s3:::link-backups-eu (STANDARD_IA)", "old: Disabled -> arn:aws:s3:::link-backups-us");
    assertThat(replication.errorCode()).isNull();
    assertThat(replication.finding()).isEqualTo("bucket configured replicates with 1 enabled rule(s) of 2");
  }

  @Test
  void noReplicationConfigurationIsSaidWithWhatItMeans() {
    BucketReplication replication = activities.checkBucketReplication("none");

    assertThat(replication.status()).isEqualTo(Status.NOT_CONFIGURED);
    assertThat(replication.errorCode()).isEqualTo("ReplicationConfigurationNotFoundError");
    assertThat(replication.finding()).contains("no replication configuration", "one region only");
  }

  @Test
  void accessDeniedNamesThePermissionNeeded() {
    BucketReplication replication = activities.checkBucketReplication("denied");

    assertThat(replication.status()).isEqualTo(Status.UNREADABLE);
    assertThat(replication.errorCode()).isEqualTo("AccessDenied");
    assertThat(replication.finding()).contains("s3:GetReplicationConfiguration");
  }
}

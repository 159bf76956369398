package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker SIGKILLed while a large database's backup is being uploaded: the dump restarts on a new
 * worker, the object is complete (same key), no partial upload is left, the run lists exactly one
 * object for the database (in its metadata.json and in the store), and it verifies.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackupWorkerCrashTest {
  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @BeforeAll
  static void largeDatabase() {
    // About 150 MB of varied text: the dump takes seconds, the object several 8 MiB parts.
    StackFixture.demo().execute("postgres", "create database link_big");
    StackFixture.demo()
        .execute(
            "link_big",
            "create table events (id bigint primary key, payload text not null)",
            "insert into events select g, md5(g::text) || repeat(md5((g::bigint * 7919)::text), 8) from generate_series(1, 500000) g");
  }

  @Test
  void aWorkerKilledMidUploadLeavesNoPartialObjectAndTheRetryVerifies() throws Exception {
    Http http = new Http(port);
    JavaProcess first = StackFixture.startWorker();
    JavaProcess second = null;
    try {
      Http.Response started =
          http.post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"backup-databases\",\"target\":\"demo\",\"databases\":[\"link_big\"]}");
      assertThat(started.status()).as(started.raw()).isEqualTo(202);
      String statusUrl = started.body().get("statusUrl").asText();

      // Wait until the first attempt's multipart upload has parts in the store, then kill its worker.
      // (The status's heartbeat shows bytes too, but the SDK sends heartbeats to the server only
      // every 0.8 x the heartbeat timeout, too coarse to catch a dump of seconds.)
      boolean uploading = false;
      for (int i = 0; i < 600 && !uploading; i++) {
        try (Stream<Path> files = Files.walk(S3ProxyServer.shared().dataDirectory())) {
          uploading = files.anyMatch(f -> f.getFileName().toString().startsWith(".mpus-"));
        }
        Processes.sleep(50);
      }
      assertThat(uploading).as("parts of the first attempt's upload in the store").isTrue();
      JsonNode running =
          http.get(statusUrl, StackFixture.VIEWER_TOKEN).body().path("progress").path(0);
      assertThat(running.path("activityType").asText()).isEqualTo("BackupDatabase");
      assertThat(running.path("attempt").asInt()).isEqualTo(1);
      first.kill();

      second = StackFixture.startWorker();
      Http.Response done = http.get(statusUrl + "?wait=60", StackFixture.VIEWER_TOKEN);
      for (int i = 0; i < 3 && done.body().get("status").asText().equals("RUNNING"); i++) {
        done = http.get(statusUrl + "?wait=60", StackFixture.VIEWER_TOKEN);
      }
      JsonNode result = done.body().get("result");
      assertThat(done.body().get("status").asText()).as(done.raw()).isEqualTo("COMPLETED");
      JsonNode big = result.at("/databases/0");
      assertThat(big.get("status").asText()).as(big.toString()).isEqualTo("SUCCEEDED");
      assertThat(big.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(result.get("latestMoved").asBoolean()).isTrue();

      // No incomplete multipart upload is left in the store.
      try (Stream<Path> files = Files.walk(S3ProxyServer.shared().dataDirectory())) {
        assertThat(files.map(Path::getFileName).map(Path::toString).filter(n -> n.startsWith(".mpus-"))).isEmpty();
      }

      // Exactly one object per database: in the run's metadata.json and in the store's listing of the run.
      String metadataKey = result.get("metadataKey").asText();
      Path bucket = S3ProxyServer.shared().dataDirectory().resolve(S3ProxyServer.shared().bucket());
      JsonNode metadata = new ObjectMapper().readTree(bucket.resolve(metadataKey).toFile());
      assertThat(metadata.path("databases")).as(metadata.toString()).hasSize(1);
      String objectKey = metadata.path("databases").path(0).path("objectKey").asText();
      assertThat(metadata.path("databases").path(0).path("database").asText()).isEqualTo("link_big");
      assertThat(objectKey).isEqualTo(big.get("objectKey").asText());
      String runPrefix = metadataKey.substring(0, metadataKey.length() - "metadata.json".length());
      try (Stream<Path> files = Files.walk(bucket)) {
        assertThat(
                files.filter(Files::isRegularFile)
                    .map(f -> bucket.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(k -> k.startsWith(runPrefix) && !k.endsWith(".json")))
            .as("the run's backup objects in the store")
            .containsExactly(objectKey);
      }

      Http.Response verify =
          http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
              "{\"runbook\":\"verify-backup\",\"target\":\"demo\",\"metadataKey\":\"" + result.get("metadataKey").asText() + "\"}");
      Http.Response verified = http.get(verify.body().get("statusUrl").asText() + "?wait=60", StackFixture.VIEWER_TOKEN);
      for (int i = 0; i < 3 && verified.body().get("status").asText().equals("RUNNING"); i++) {
        verified = http.get(verify.body().get("statusUrl").asText() + "?wait=60", StackFixture.VIEWER_TOKEN);
      }
      assertThat(verified.body().at("/result/passed").asBoolean()).as(verified.raw()).isTrue();
      assertThat(verified.body().at("/result/objects/0/rowCountMismatches")).isEmpty();
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }
}

package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.S3ProxyServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * BackupDatabases then VerifyBackup, started over REST: the real Temporal server, the worker jar in
 * its own JVM, PostgreSQL, and s3proxy as the S3 store.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackupEndToEndTest {
  private static JavaProcess worker;
  private static int workerPort;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @BeforeAll
  static void startWorker() {
    workerPort = Processes.freePort();
    worker = StackFixture.startWorker(Map.of("server.port", Integer.toString(workerPort)));
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  private JsonNode runToCompletion(String body) {
    Http http = new Http(port);
    Http.Response started = http.post("/api/runs", StackFixture.OPERATOR_TOKEN, body);
    assertThat(started.status()).as(started.raw()).isEqualTo(202);
    Http.Response status = http.get(started.body().get("statusUrl").asText() + "?wait=60", StackFixture.VIEWER_TOKEN);
    if (status.body().get("status").asText().equals("RUNNING")) {
      status = http.get(started.body().get("statusUrl").asText() + "?wait=60", StackFixture.VIEWER_TOKEN);
    }
    assertThat(status.body().get("status").asText()).as(status.raw()).isEqualTo("COMPLETED");
    return status.body();
  }

  @Test
  void aBackupRunStartedOverRestIsVerifiedByARealRestoreAndLeavesNoSecretInHistory() throws Exception {
    JsonNode backup = runToCompletion("{\"runbook\":\"backup-databases\",\"target\":\"demo\"}");
    JsonNode result = backup.get("result");
    assertThat(result.get("databases")).hasSize(2);
    for (JsonNode db : result.get("databases")) {
      assertThat(db.get("status").asText()).as(db.toString()).isEqualTo("SUCCEEDED");
      assertThat(db.get("sha256").asText()).hasSize(64);
      assertThat(db.get("objectKey").asText()).startsWith("postgres-backups/manual/manual-backup-").endsWith(".sql.enc");
    }
    assertThat(result.get("latestMoved").asBoolean()).isTrue();
    Path bucket = S3ProxyServer.shared().dataDirectory();
    assertThat(Files.walk(bucket).map(Path::toString).filter(p -> p.endsWith("latest/metadata.json"))).isNotEmpty();

    JsonNode verify = runToCompletion("{\"runbook\":\"verify-backup\",\"target\":\"demo\"}");
    assertThat(verify.at("/result/passed").asBoolean()).as(verify.toString()).isTrue();
    assertThat(verify.at("/result/objects")).hasSize(2);
    assertThat(verify.at("/result/objects/0/tablesCompared").asInt()).isEqualTo(1);
    assertThat(verify.at("/result/objects/0/indexesChecked").asInt()).isGreaterThanOrEqualTo(2);

    // No secret anywhere in the history of the runs, their children, or the verification.
    WorkflowClient client =
        WorkflowClient.newInstance(StackFixture.service(), WorkflowClientOptions.newBuilder().build());
    List<String> runs = new ArrayList<>(List.of(backup.get("workflowId").asText(), verify.get("workflowId").asText()));
    for (JsonNode db : result.get("databases")) {
      runs.add("backup-database/demo/" + db.get("database").asText() + "/" + result.get("label").asText());
    }
    Histories.save(runs.get(0), "backup-databases");
    Histories.save(runs.get(1), "verify-backup");
    Histories.save(runs.get(2), "backup-database");
    String s3Secret = S3ProxyServer.shared().secretKey();
    for (String run : runs) {
      String history = client.fetchHistory(run).toJson(false);
      assertThat(history).as(run).isNotEmpty()
          .doesNotContain(StackFixture.BACKUP_PASSPHRASE)
          .doesNotContain(StackFixture.demo().password())
          .doesNotContain(s3Secret);
    }
  }

  @Test
  void anUnknownDatabaseFailsAloneWithItsReasonInTheResultAndTheMetrics() throws Exception {
    JsonNode run =
        runToCompletion("{\"runbook\":\"backup-databases\",\"target\":\"demo\",\"databases\":[\"link_users\",\"link_nope\"]}");
    JsonNode dbs = run.at("/result/databases");
    assertThat(dbs.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(dbs.get(1).get("status").asText()).isEqualTo("FAILED");
    assertThat(dbs.get(1).get("errorType").asText()).isEqualTo("UnknownDatabase");
    assertThat(dbs.get(1).get("error").asText()).contains("link_nope").contains("does not exist");
    assertThat(run.at("/result/latestMoved").asBoolean()).isFalse();

    String metadataKey = run.at("/result/metadataKey").asText();
    Path metadata;
    try (Stream<Path> files = Files.walk(S3ProxyServer.shared().dataDirectory())) {
      metadata = files.filter(p -> p.toString().endsWith(metadataKey)).findFirst().orElseThrow();
    }
    JsonNode listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(metadata));
    assertThat(listed.get("databases")).hasSize(1);
    assertThat(listed.at("/databases/0/database").asText()).isEqualTo("link_users");
    assertThat(listed.at("/failed/0/database").asText()).isEqualTo("link_nope");

    String metrics =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workerPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .containsPattern("postgres_backup_errors_total\\{database=\"link_nope\",error=\"UnknownDatabase\",target=\"demo\"\\} 1")
        .containsPattern("postgres_backup_last_success_timestamp\\{database=\"link_users\",target=\"demo\"\\} \\d");
  }
}

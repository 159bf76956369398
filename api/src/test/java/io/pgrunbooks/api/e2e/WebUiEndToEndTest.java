package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.TemporalDevServer;
import io.pgrunbooks.workflows.approval.CurrentDetails;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.schedules.ScheduleClient;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a person sees in the Temporal Web UI, in a real browser: Debian's headless Chromium (driven
 * by Selenium through Debian's chromedriver) opens the dev server's UI, lists the runs that wait for
 * approval with the query {@code AwaitingApproval = true}, opens the one a DropRestoreLeftover run
 * started over the API keeps waiting, and finds its summary and its current details with the
 * commands that decide the gate. The screenshot is kept at {@value #SCREENSHOT}. The reject command
 * from those details, pasted into a shell, then ends the run, and the query no longer finds it.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebUiEndToEndTest {
  /** A target of its own (the demo cluster), so that its destructive run holds no other test's target. */
  private static final String TARGET = "webui";
  private static final String SCREENSHOT = "target/screenshots/web-ui-awaiting-approval.png";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.targets." + TARGET + ".hosting", () -> "host");
  }

  @Test
  void aRunWaitingForApprovalIsFoundByItsSearchAttributeAndShowsItsSummaryAndTheCommandsThatDecideIt() throws IOException {
    requireChromium();
    Http http = new Http(port);
    String leftover = "link_users_pre_restore_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
    StackFixture.demo().execute("postgres", "create database " + leftover);
    WorkflowClient client = WorkflowClient.newInstance(StackFixture.service());
    try (JavaProcess worker = StackFixture.startWorker(HostTargets.asProperties(TARGET, StackFixture.demo()))) {
      Http.Response started = http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
          "{\"runbook\":\"drop-restore-leftover\",\"target\":\"" + TARGET + "\",\"database\":\"" + leftover + "\"}");
      assertThat(started.status()).as(started.raw()).isEqualTo(202);
      String id = started.body().get("workflowId").asText();
      String statusUrl = started.body().get("statusUrl").asText();
      poll("the gate to open", () -> http.get(statusUrl, StackFixture.VIEWER_TOKEN).body().path("awaitingApproval").size() == 1);
      // The server's own visibility store answers the Web UI's query.
      String waiting = RunbookSearchAttributes.AWAITING_APPROVAL.getName() + " = true";
      poll("'" + waiting + "' to list " + id, () -> listed(client, waiting, id));

      WorkflowExecutionDescription run = client.newUntypedWorkflowStub(id).describe();
      String summary = "DropRestoreLeftover of " + TARGET + ", requested by alice";
      assertThat(run.getStaticSummary()).isEqualTo(summary);
      assertThat(run.getTypedSearchAttributes().get(RunbookSearchAttributes.RUNBOOK)).isEqualTo("DropRestoreLeftover");
      assertThat(run.getTypedSearchAttributes().get(RunbookSearchAttributes.TARGET)).isEqualTo(TARGET);
      assertThat(run.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY)).isEqualTo("alice");
      assertThat(run.getTypedSearchAttributes().get(RunbookSearchAttributes.PHASE)).isEqualTo("awaiting-approval");
      String details = CurrentDetails.of(client.newUntypedWorkflowStub(id));

      WebDriver browser = browser();
      try {
        String ui = "http://127.0.0.1:" + TemporalDevServer.shared().uiPort();
        browser.get(ui + "/namespaces/default/workflows?query=" + URLEncoder.encode(waiting, StandardCharsets.UTF_8).replace("+", "%20"));
        By link = By.cssSelector("a[href*='/workflows/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/']");
        WebElement row = until(browser, "the list to show " + id, d -> d.findElements(link).stream().findFirst().orElse(null));
        row.click();
        // The run's page: its summary and current details are on the User Metadata tab.
        By metadataTab = By.xpath("//a[normalize-space(.)='User Metadata'] | //button[normalize-space(.)='User Metadata']");
        until(browser, "the run's page to offer its User Metadata tab", d -> d.findElements(metadataTab).stream().findFirst().orElse(null))
            .click();
        String shown = until(browser, "the run's page to show its summary and the gate's current details", d -> {
          String text = rendered(d);
          return text.contains(summary) && text.contains("Waiting for approval") && text.contains("--name reject") ? text : null;
        });
        screenshot(browser);
        assertThat(shown).contains("drop database " + leftover, "curl -X POST", "\"decision\":\"reject\"",
            "\"$PGRUNBOOKS_API\"'/api/approvals/" + id + "'", "temporal workflow signal", "--name reject")
            .as("an unsigned approval is refused, so the CLI approve is not offered").doesNotContain("--name approve");
      } finally {
        browser.quit();
      }

      // The reject line of the current details, pasted as it is but for the comment, works.
      String reject = Arrays.stream(details.split("\n"))
          .filter(l -> l.startsWith("curl ") && l.contains("\"decision\":\"reject\"")).findFirst().orElseThrow()
          .replace("<why not>", "kept for the audit");
      shell("export PGRUNBOOKS_API='http://127.0.0.1:" + port + "' PGRUNBOOKS_TOKEN='" + StackFixture.OPERATOR_TOKEN + "'; " + reject);
      JsonNode done = http.get(statusUrl + "?wait=30", StackFixture.VIEWER_TOKEN).body();
      assertThat(done.path("result").path("status").asText()).as(done.toString()).isEqualTo("REJECTED");
      poll("'" + waiting + "' to no longer list " + id, () -> !listed(client, waiting, id));
      assertThat(client.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes()
          .get(RunbookSearchAttributes.AWAITING_APPROVAL)).isFalse();
      assertThat(worker.tail()).doesNotContain(StackFixture.BACKUP_PASSPHRASE);
    }
  }

  /** A run a schedule starts carries the same summary and search attributes as one started over the API. */
  @Test
  void aScheduledRunHasASummaryAndItsSearchAttributes() {
    Http http = new Http(port);
    Http.Response created = http.post("/api/schedules", StackFixture.OPERATOR_TOKEN,
        "{\"intervalSeconds\":86400,\"run\":{\"runbook\":\"run-maintenance\",\"target\":\"" + TARGET + "\"}}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String scheduleId = created.body().get("scheduleId").asText();
    WorkflowClient client = WorkflowClient.newInstance(StackFixture.service());
    try {
      ScheduleClient.newInstance(StackFixture.service()).getHandle(scheduleId).trigger();
      String query = RunbookSearchAttributes.RUNBOOK.getName() + " = 'RunMaintenance' AND "
          + RunbookSearchAttributes.TARGET.getName() + " = '" + TARGET + "'";
      poll("a scheduled run of " + scheduleId, () -> client.listExecutions(query).findAny().isPresent());
      String id = client.listExecutions(query).findFirst().orElseThrow().getExecution().getWorkflowId();
      WorkflowExecutionDescription run = client.newUntypedWorkflowStub(id).describe();
      assertThat(run.getStaticSummary()).isEqualTo("RunMaintenance of " + TARGET + ", requested by schedule by alice");
      assertThat(run.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY)).isEqualTo("schedule by alice");
      assertThat(run.getTypedSearchAttributes().get(RunbookSearchAttributes.AWAITING_APPROVAL)).isFalse();
      client.newUntypedWorkflowStub(id).terminate("test done");
    } finally {
      http.delete("/api/schedules/" + scheduleId, StackFixture.OPERATOR_TOKEN);
    }
  }

  /** Debian's chromium and chromium-driver (scripts/lib.sh installs them): in CI their absence fails the test. */
  private static void requireChromium() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String missing = "Debian's chromium and chromium-driver are needed (" + CHROMIUM + ", " + CHROMEDRIVER
        + "): apt-get install chromium chromium-driver (scripts/lib.sh ensure_packages does)";
    if (!installed && System.getenv("CI") != null) {
      throw new AssertionError(missing);
    }
    assumeThat(installed).as(missing).isTrue();
  }

  /**
   * The page's text and that of each of its frames: the Web UI renders a run's summary, details and
   * current details (Markdown) each in a frame of its own. textContent, since some lines of the
   * details are scrolled out of view.
   */
  private static String rendered(WebDriver page) {
    StringBuilder text = new StringBuilder(page.findElement(By.tagName("body")).getText());
    for (WebElement frame : page.findElements(By.tagName("iframe"))) {
      page.switchTo().frame(frame);
      try {
        text.append('\n').append(page.findElement(By.tagName("body")).getDomProperty("textContent"));
      } finally {
        page.switchTo().defaultContent();
      }
    }
    return text.toString();
  }

  /** Headless Chromium through the system chromedriver: nothing is downloaded. */
  private static WebDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1400");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static <T> T until(WebDriver browser, String what, java.util.function.Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(browser, PATIENCE).withMessage(what).until(condition::apply);
    } catch (RuntimeException e) {
      screenshot(browser); // what the page showed instead, and its DOM beside it
      try {
        Files.writeString(Path.of(SCREENSHOT.replace(".png", ".html")), browser.getPageSource());
      } catch (IOException | RuntimeException ignored) {
        // the screenshot is the artifact; the DOM only helps
      }
      throw e;
    }
  }

  private static void screenshot(WebDriver browser) {
    try {
      File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
      Path target = Path.of(SCREENSHOT);
      Files.createDirectories(target.getParent());
      Files.copy(png.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean listed(WorkflowClient client, String query, String id) {
    return client.listExecutions(query).anyMatch(m -> m.getExecution().getWorkflowId().equals(id));
  }

  private static void poll(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what);
      }
      Processes.sleep(200);
    }
  }

  private static void shell(String command) throws IOException {
    Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(p.waitFor()).as(out).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(out).as("the API's answer").contains("\"decision\":\"reject\"", "\"person\":\"alice\"");
  }
}

package io.pgrunbooks.workers.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml without a Docker engine: Debian's docker-compose (1.29, Python) parses and
 * interpolates it, the Compose specification's JSON schema that package ships validates it, every
 * image it builds has its Dockerfile and stage, every file it mounts is in the repository, the
 * Prometheus and Alertmanager configurations pass promtool and amtool, and the published ports and
 * the worker's and the API's commands are the local stack's (read from scripts/local-stack.sh,
 * the one place they are written down).
 */
class ComposeFileTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE = REPO.resolve("docker-compose.yml");
  private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
  private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
  /** The variables the file requires (${VAR:?...}); any value will do to check it. */
  private static final Map<String, String> REQUIRED_ENV = Map.of(
      "PGRUNBOOKS_TOKEN", "validation-only", "PGRUNBOOKS_S3_SECRET", "validation-only",
      "PGRUNBOOKS_BACKUP_KEY", "validation-only", "PGRUNBOOKS_ALERTMANAGER_TOKEN", "validation-only",
      "PGRUNBOOKS_APPROVAL_SIGNING_KEY", "validation-only");
  /** The webhook the alerts helper's endpoint serves; Alertmanager must post exactly there. */
  private static final String WEBHOOK = "http://api:8080/api/alerts/alertmanager";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static JsonNode services;

  @BeforeAll
  static void read() throws IOException {
    services = YAML.readTree(COMPOSE.toFile()).path("services");
    assertThat(services.isObject()).as("docker-compose.yml has services").isTrue();
  }

  @Test
  void debiansDockerComposeAcceptsTheFile(@TempDir Path tmp) throws Exception {
    requireTool(DOCKER_COMPOSE, "docker-compose");
    Run ok = run(List.of(DOCKER_COMPOSE.toString(), "-f", COMPOSE.toString(), "config", "-q"), REQUIRED_ENV);
    assertThat(ok.exit()).as("docker-compose config: " + ok.output()).isZero();

    // and it does refuse a broken file, so the check above means something
    Path broken = tmp.resolve("docker-compose.yml");
    Files.writeString(broken, Files.readString(COMPOSE).replace("    ports: [\"8080:8080\"]", "    ports: 8080"));
    Run refused = run(List.of(DOCKER_COMPOSE.toString(), "-f", broken.toString(), "config", "-q"), REQUIRED_ENV);
    assertThat(refused.exit()).as(refused.output()).isNotZero();
  }

  @Test
  void theFileMatchesTheComposeSpecificationSchema(@TempDir Path tmp) throws Exception {
    requireTool(DOCKER_COMPOSE, "docker-compose");
    requireTool(DEBIAN_PYTHON, "python3-jsonschema");
    // The schema as the installed package ships it (docker-compose validates with it too).
    Run listed = run(List.of("dpkg", "-L", "docker-compose"), Map.of());
    String schema = listed.output().lines().filter(l -> l.endsWith("/compose_spec.json")).findFirst()
        .orElseThrow(() -> new AssertionError("dpkg -L docker-compose lists no compose_spec.json: " + listed.output()));
    assertThat(validate(Path.of(schema), COMPOSE)).as("schema errors in docker-compose.yml").isEmpty();

    Path broken = tmp.resolve("docker-compose.yml");
    Files.writeString(broken, Files.readString(COMPOSE).replace("    image: postgres:15\n", "    image: postgres:15\n    restart_policy: always\n"));
    assertThat(validate(Path.of(schema), broken)).singleElement().asString().contains("restart_policy");
  }

  /** The schema's complaints about a compose file, one line each (empty: valid). */
  private static List<String> validate(Path schema, Path file) throws Exception {
    String script = """
        import json, sys, yaml, jsonschema
        schema = json.load(open(sys.argv[1]))
        document = yaml.safe_load(open(sys.argv[2]))
        validator = jsonschema.Draft201909Validator(schema)
        for e in validator.iter_errors(document):
            print("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
        """;
    Run r = run(List.of(DEBIAN_PYTHON.toString(), "-c", script, schema.toString(), file.toString()), Map.of());
    if (r.exit() != 0) {
      fail("the schema check did not run: " + r.output());
    }
    return r.output().lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void everyBuildHasItsDockerfileAndStage() throws IOException {
    List<String> builds = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      JsonNode build = service.getValue().get("build");
      if (build == null) {
        continue;
      }
      builds.add(service.getKey());
      Path context = REPO.resolve(build.isTextual() ? build.asText() : build.path("context").asText("."));
      Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
      assertThat(dockerfile).as(service.getKey() + "'s Dockerfile").isRegularFile();
      if (build.has("target")) {
        assertThat(Files.readString(dockerfile)).as(service.getKey() + "'s build target in " + dockerfile)
            .containsPattern("(?im)^FROM\\s+\\S+\\s+AS\\s+" + Pattern.quote(build.get("target").asText()) + "\\s*$");
      }
    }
    assertThat(builds).as("the images built from this repository").containsExactlyInAnyOrder("worker", "api");
  }

  @Test
  void everyMountedFileIsInTheRepository() {
    List<String> mounts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      for (JsonNode volume : service.getValue().path("volumes")) {
        String source = volume.isTextual() ? volume.asText().split(":")[0]
            : "bind".equals(volume.path("type").asText()) ? volume.path("source").asText() : "";
        if (source.startsWith("./") || source.startsWith("../") || source.startsWith("/")) {
          mounts.add(source);
          assertThat(REPO.resolve(source).normalize()).as(service.getKey() + " mounts " + source).exists();
          assertThat(REPO.resolve(source).normalize().startsWith(REPO)).as(source + " is inside the repository").isTrue();
        }
      }
    }
    assertThat(mounts).contains("./scripts/demo/seed-databases.sql", "./config/compose/application-compose.yml",
        "./config/prometheus", "./config/alertmanager");
  }

  @Test
  void portsAreTheLocalStacks() throws IOException {
    Map<String, String> defaults = LocalStack.portDefaults();
    // service -> the local stack's variable for the same thing
    Map<String, String> sameAs = Map.of(
        "temporal", "TEMPORAL_PORT", "temporal-ui", "TEMPORAL_UI_PORT", "api", "API_PORT",
        "worker", "WORKER_PORT", "demo-db", "PG_PORT", "minio", "S3_PORT");
    for (Map.Entry<String, String> e : sameAs.entrySet()) {
      assertThat(defaults).as("scripts/local-stack.sh sets " + e.getValue()).containsKey(e.getValue());
      assertThat(publishedHostPorts(e.getKey())).as(e.getKey() + "'s published port, as the local stack's " + e.getValue())
          .contains(defaults.get(e.getValue()));
    }
  }

  @Test
  void theWorkerAndTheApiRunAsInTheLocalStack() throws IOException {
    Map<String, List<String>> local = LocalStack.javaCommands();
    assertThat(local).containsOnlyKeys("workers", "api");
    for (Map.Entry<String, String> app : Map.of("worker", "workers", "api", "api").entrySet()) {
      List<String> command = new ArrayList<>();
      services.path(app.getKey()).path("command").forEach(n -> command.add(n.asText()));
      assertThat(command).as(app.getKey() + "'s command").startsWith("java", "-jar", "/app/" + app.getValue() + ".jar");
      assertThat(propertyNames(command)).as(app.getKey() + "'s command-line properties, as the local stack's")
          .isEqualTo(propertyNames(local.get(app.getValue())));
      // the port it serves is the one compose publishes
      String serverPort = command.stream().filter(a -> a.startsWith("--server.port=")).findFirst().orElseThrow().split("=")[1];
      assertThat(containerPorts(app.getKey())).contains(serverPort);
    }
    String webUi = stream(services.path("api").path("command")).filter(a -> a.startsWith("--pgrunbooks.web-ui-url=")).findFirst()
        .orElseThrow();
    assertThat(webUi).endsWith(":" + publishedHostPorts("temporal-ui").get(0));
  }

  @Test
  void prometheusScrapesTheWorkerAndAlertmanagerPostsToTheWebhook() throws Exception {
    JsonNode prometheus = YAML.readTree(REPO.resolve("config/prometheus/prometheus.yml").toFile());
    JsonNode scrape = prometheus.path("scrape_configs").get(0);
    assertThat(scrape.path("metrics_path").asText()).isEqualTo("/actuator/prometheus");
    assertThat(scrape.path("static_configs").get(0).path("targets").get(0).asText())
        .isEqualTo("worker:" + containerPorts("worker").get(0));
    assertThat(stream(prometheus.path("rule_files"))).contains("pg-runbooks-rules.yml");
    JsonNode alertmanager = YAML.readTree(REPO.resolve("config/alertmanager/alertmanager.yml").toFile());
    JsonNode webhook = alertmanager.path("receivers").get(0).path("webhook_configs").get(0);
    assertThat(webhook.path("url").asText()).isEqualTo(WEBHOOK);
    assertThat(WEBHOOK).contains("api:" + containerPorts("api").get(0) + "/");
    assertThat(webhook.path("http_config").path("authorization").path("credentials_file").asText())
        .as("the token file the alertmanager service's entrypoint writes")
        .isNotEmpty().satisfies(f -> assertThat(services.path("alertmanager").path("command").get(0).asText()).contains(f));

    Path promtool = Path.of("/usr/bin/promtool");
    requireTool(promtool, "prometheus");
    Run checked = run(List.of(promtool.toString(), "check", "config", "config/prometheus/prometheus.yml"), Map.of());
    assertThat(checked.exit()).as(checked.output()).isZero();
    Path amtool = Path.of("/usr/bin/amtool");
    requireTool(amtool, "prometheus-alertmanager");
    Run am = run(List.of(amtool.toString(), "check-config", "config/alertmanager/alertmanager.yml"), Map.of());
    assertThat(am.exit()).as(am.output()).isZero();
  }

  private static List<String> publishedHostPorts(String service) {
    return ports(service, 0);
  }

  private static List<String> containerPorts(String service) {
    return ports(service, 1);
  }

  private static List<String> ports(String service, int side) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : services.path(service).path("ports")) {
      String[] parts = p.asText().replaceAll("/tcp$", "").split(":");
      assertThat(parts).as(service + " publishes host:container, " + p.asText()).hasSize(2);
      ports.add(parts[side]);
    }
    return ports;
  }

  private static java.util.stream.Stream<String> stream(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out.stream();
  }

  private static Set<String> propertyNames(List<String> args) {
    Set<String> names = new TreeSet<>();
    for (String a : args) {
      Matcher m = Pattern.compile("^--([A-Za-z0-9.\\-]+)=").matcher(a);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The local stack's facts, as scripts/local-stack.sh writes them. */
  static final class LocalStack {
    private static final Path SCRIPT = REPO.resolve("scripts/local-stack.sh");

    /** VAR="${ENV:-1234}" lines: the stack's ports by variable. */
    static Map<String, String> portDefaults() throws IOException {
      Map<String, String> ports = new LinkedHashMap<>();
      Matcher m = Pattern.compile("(?m)^(\\w+)=\"\\$\\{\\w+:-(\\d+)}\"").matcher(Files.readString(SCRIPT));
      while (m.find()) {
        ports.put(m.group(1), m.group(2));
      }
      return ports;
    }

    /**
     * The arguments of each {@code java -jar "$<app>_jar" ...} line (continuations joined), with
     * {@code "${common[@]}"} expanded from the {@code common=(...)} array; keyed by app (workers, api).
     */
    static Map<String, List<String>> javaCommands() throws IOException {
      String script = Files.readString(SCRIPT).replace("\\\n", " ");
      Matcher common = Pattern.compile("(?ms)^common=\\((.*?)\\)\\s*$").matcher(script);
      assertThat(common.find()).as("scripts/local-stack.sh has the common=(...) arguments").isTrue();
      List<String> commonArgs = List.of(common.group(1).trim().split("\\s+"));
      Map<String, List<String>> commands = new LinkedHashMap<>();
      Matcher java = Pattern.compile("(?m)^java -jar \"\\$(worker|api)_jar\"(.*?)(?:>|$)").matcher(script);
      while (java.find()) {
        List<String> args = new ArrayList<>();
        for (String a : java.group(2).trim().split("\\s+")) {
          if (a.equals("\"${common[@]}\"")) {
            args.addAll(commonArgs);
          } else if (!a.isBlank()) {
            args.add(a);
          }
        }
        commands.put(java.group(1).equals("worker") ? "workers" : "api", args);
      }
      return commands;
    }
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not finish in 60 s");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** A tool the check needs: on CI (CI set) its absence fails the test; elsewhere it skips with what to install. */
  private static void requireTool(Path tool, String debianPackage) {
    if (Files.isExecutable(tool)) {
      return;
    }
    String message = tool + " is missing: apt-get install " + debianPackage + " (scripts/lib.sh ensure_packages does)";
    if (System.getenv("CI") != null) {
      fail(message);
    }
    Assumptions.abort(message);
  }
}

package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.PrometheusServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The project's Prometheus rules file (config/prometheus/pg-runbooks-rules.yml) with Debian's
 * promtool: it parses, and its unit tests (the seed's PostgreSQLBackupFailed alert, both of its
 * conditions, and the 80 % disk-usage alerts) pass.
 */
class PrometheusRulesTest {
  static final Path RULES_DIRECTORY = Path.of("..", "config", "prometheus").toAbsolutePath().normalize();

  @Test
  void theRulesFileIsValidWithItsRules() {
    String out = promtool("check", "rules", "pg-runbooks-rules.yml");

    assertThat(out).contains("SUCCESS: 3 rules found");
  }

  @Test
  void theRulesUnitTestsPass() {
    String out = promtool("test", "rules", "pg-runbooks-rules.test.yml");

    assertThat(out).contains("SUCCESS");
  }

  /** Runs promtool in the rules directory; a non-zero exit fails with its output. */
  private static String promtool(String... arguments) {
    assumeThat(PrometheusServer.installed()).as("Debian's prometheus package (scripts/lib.sh installs it)").isTrue();
    assertThat(RULES_DIRECTORY.resolve("pg-runbooks-rules.yml")).exists();
    List<String> command = new ArrayList<>(List.of(PrometheusServer.promtool().toString()));
    command.addAll(List.of(arguments));
    return Processes.run(command, RULES_DIRECTORY, Duration.ofSeconds(60));
  }
}

package io.pgrunbooks.activities.serverfiles;

import static io.pgrunbooks.activities.serverfiles.ScriptedPod.DATA;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSettingsTest {

  @Test
  void theLogPatternIsTheServersLogFilename() {
    String pattern = LogSettings.pattern("postgresql-%Y-%m-%d_%H%M%S.log");
    assertThat("postgresql-2026-10-01_000000.log").matches(pattern);
    assertThat("postgresql-2026-10-01_000000.csv").matches(pattern);
    assertThat("postgresql-2026-10-01_000000.json").matches(pattern);
    assertThat("postgresql-2026-1-01_000000.log").as("strftime pads with zeros").doesNotMatch(pattern);
    assertThat("postgresql.log").doesNotMatch(pattern);
    assertThat("notes.txt").doesNotMatch(pattern);
    assertThat("postgresql-Mon.log").matches(LogSettings.pattern("postgresql-%a.log"));
    assertThat("server.log").as("a name without escapes is that name").matches(LogSettings.pattern("server.log"));
    assertThat("server.log.1712345678").doesNotMatch(LogSettings.pattern("server.log"));
  }

  @Test
  void theLogDirectoryIsResolvedInTheDataDirectoryAndNeverOneOfPostgresqlsOwn() {
    assertThat(LogSettings.of(DATA + "/", "log", "x.log", "on", null).directory()).isEqualTo(DATA + "/log");
    assertThat(LogSettings.of(DATA, "/var/log/postgresql", "x.log", "on", null).directory()).isEqualTo("/var/log/postgresql");
    assertThat(LogSettings.of(DATA, "log", "x.log", "on", null).unsafe()).isNull();
    assertThat(LogSettings.of(DATA, "pg_wal", "x.log", "on", null).unsafe()).contains("nothing is deleted there");
    assertThat(LogSettings.of(DATA, ".", "x.log", "on", null).unsafe()).contains("nothing is deleted there");
    assertThat(LogSettings.of(DATA, "log/../base/1", "x.log", "on", null).unsafe()).contains("nothing is deleted there");
  }

  @Test
  void theCollectorAndTheCurrentFileAreReadAsTheServerShowsThem() {
    LogSettings settings = LogSettings.of(DATA, "log", "x.log", "on", "log/postgresql-2026-11-29_000000.log");
    assertThat(settings.collector()).isTrue();
    assertThat(settings.collectorSetting()).isEqualTo("on");
    assertThat(settings.currentFile()).isEqualTo("postgresql-2026-11-29_000000.log");
    assertThat(LogSettings.of(DATA, "log", "x.log", "off", null).collectorSetting()).isEqualTo("off");
  }
}

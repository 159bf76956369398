package io.pgrunbooks.activities.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PitrNamesTest {
  @Test
  void plainStanzasAndPathsPass() {
    assertThat(PitrNames.stanza("link-main_15.x")).isEqualTo("link-main_15.x");
    assertThat(PitrNames.path("p", "/var/lib/postgresql/15/main")).isEqualTo("/var/lib/postgresql/15/main");
  }

  @Test
  void namesThatAShellOrRestoreCommandWouldReadDifferentlyAreRefused() {
    for (String stanza : new String[] {"", "-main", "main;rm -rf /", "a b", "main$(id)", null}) {
      assertThatThrownBy(() -> PitrNames.stanza(stanza)).hasMessageContaining("stanza");
    }
    for (String path : new String[] {"relative/dir", "/data/../etc", "/data/", "/my data", "/data'x", "/data\n", null}) {
      assertThatThrownBy(() -> PitrNames.path("host.data-directory", path)).hasMessageContaining("host.data-directory");
    }
  }

  @Test
  void theTargetTimeIsRfc3339AndBecomesWhatRecoveryTargetTimeTakes() {
    assertThat(RecoveryPlanner.format(RecoveryPlanner.targetTime("2024-01-01T13:00:00.1234567+01:00")))
        .isEqualTo("2024-01-01 12:00:00.123456+00");
    assertThatThrownBy(() -> RecoveryPlanner.targetTime("2024-01-01 12:00")).hasMessageContaining("RFC 3339");
  }
}

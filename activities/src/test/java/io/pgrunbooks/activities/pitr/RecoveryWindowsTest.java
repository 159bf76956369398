package io.pgrunbooks.activities.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.pitr.ArchivedCommits.LastCommit;
import io.pgrunbooks.activities.pitr.StanzaInfo.Archive;
import io.pgrunbooks.activities.pitr.StanzaInfo.Backup;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryWindowsTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  static Backup backup(String label, int startMinute, int stopMinute, String archiveStart, String lsnStart) {
    return new Backup(label, "full", T0.plusSeconds(60L * startMinute), T0.plusSeconds(60L * stopMinute), lsnStart, "0/" + stopMinute + "000100",
        archiveStart, 1, false, 1_000);
  }

  static final StanzaInfo INFO =
      new StanzaInfo(
          "main", "ok", 1,
          List.of(
              backup("expired", 0, 1, "000000010000000000000001", "0/1000028"), // its WAL is gone
              backup("early", 10, 11, "000000010000000000000003", "0/3000028"),
              backup("late", 30, 31, "000000010000000000000007", "0/7000028")),
          List.of(new Archive("15-1", 1, "000000010000000000000002", "000000010000000000000009")));

  static final LastCommit LAST = new LastCommit(T0.plusSeconds(3600), "0/9000300", "000000010000000000000009");
  static final Instant NOW = T0.plusSeconds(3700);

  @Test
  void theNewestBackupThatEndedBeforeTheTargetIsChosen() {
    RecoveryWindows.Decision d = RecoveryWindows.decide(INFO, LAST, "sealed", T0.plusSeconds(60 * 40), NOW);
    assertThat(d.backup().label()).isEqualTo("late");
    assertThat(d.window().opensAt()).isEqualTo(T0.plusSeconds(11 * 60 + 1).toString());
    assertThat(d.window().closesAt()).isEqualTo(LAST.time().toString());
    assertThat(d.targetLsnBefore()).isEqualTo("0/9000300");
  }

  @Test
  void aLaterBackupBoundsTheTargetsWalPosition() {
    RecoveryWindows.Decision d = RecoveryWindows.decide(INFO, LAST, null, T0.plusSeconds(60 * 20), NOW);
    assertThat(d.backup().label()).isEqualTo("early");
    assertThat(d.targetLsnBefore()).isEqualTo("0/7000028");
  }

  @Test
  void aTargetInsideTheEarliestUsableBackupsLastSecondIsRejected() {
    // The backup whose WAL expired does not open the window; "early" stopped at 10:11:00 (whole seconds).
    assertRejected(T0.plusSeconds(60 * 5), "before the end of the earliest usable backup");
    assertRejected(T0.plusSeconds(60 * 11).plusMillis(500), "before the end of the earliest usable backup");
  }

  @Test
  void aTargetAtOrAfterTheLastArchivedCommitIsRejected() {
    assertRejected(LAST.time(), "not covered by archived WAL");
    assertRejected(NOW.minusSeconds(1), "not covered by archived WAL");
  }

  @Test
  void aTargetInTheFutureIsRejected() {
    assertRejected(NOW.plusSeconds(1), "not in the past");
  }

  @Test
  void withoutAnyCommitInTheArchiveNothingCanBeProven() {
    assertThatThrownBy(() -> RecoveryWindows.decide(INFO, null, null, T0.plusSeconds(60 * 40), NOW))
        .hasMessageContaining("no commit found");
  }

  private static void assertRejected(Instant target, String why) {
    assertThatThrownBy(() -> RecoveryWindows.decide(INFO, LAST, null, target, NOW))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining(why)
        .hasMessageContaining("from " + T0.plusSeconds(11 * 60 + 1))
        .hasMessageContaining("to before " + LAST.time())
        .satisfies(f -> assertThat(((ApplicationFailure) f).isNonRetryable()).isTrue());
  }
}

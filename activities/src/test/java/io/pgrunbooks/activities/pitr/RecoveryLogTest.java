package io.pgrunbooks.activities.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecoveryLogTest {
  /** A PostgreSQL 15 log of a recovery to a time, as the server wrote it. */
  static final String LOG =
      """
      2026-11-22 20:29:39.566 UTC [10717] LOG:  starting point-in-time recovery to 2026-11-22 20:29:30.7+00
      2026-11-22 20:29:39.606 UTC [10717] LOG:  consistent recovery state reached at 0/2000100
      2026-11-22 20:29:39.617 UTC [10717] LOG:  recovery stopping before commit of transaction 727, time 2026-11-22 20:29:31.187714+00
      2026-11-22 20:29:39.617 UTC [10717] LOG:  redo done at 0/3016220 system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.02 s
      2026-11-22 20:29:39.617 UTC [10717] LOG:  last completed transaction was at log time 2026-11-22 20:29:30.169146+00
      2026-11-22 20:29:39.645 UTC [10717] LOG:  selected new timeline ID: 2
      """;

  @Test
  void readsTheTargetTheStopAndTheLastReplayedCommit() {
    RecoveryLog log = RecoveryLog.read(LOG);
    assertThat(log.recoveringTo()).isEqualTo(Instant.parse("2026-11-22T20:29:30.700Z"));
    assertThat(log.stoppedBefore()).isEqualTo(Instant.parse("2026-11-22T20:29:31.187714Z"));
    assertThat(log.lastCompleted()).isEqualTo(Instant.parse("2026-11-22T20:29:30.169146Z"));
    assertThat(log.redoDoneAt()).isEqualTo("0/3016220");
    assertThat(log.errors()).isEmpty();
    assertThat(log.evidence()).hasSize(4);
  }

  @Test
  void aRecoveryThatRanOutOfWalIsAFatalThatSaysWhereItGot() {
    RecoveryLog log =
        RecoveryLog.read(
            """
            LOG:  starting point-in-time recovery to 2026-11-22 21:29:30.7+01
            LOG:  redo done at 0/3016220 system usage: CPU: user: 0.00 s
            LOG:  last completed transaction was at log time 2026-11-22 21:29:32.205895+01
            FATAL:  recovery ended before configured recovery target was reached
            """);
    assertThat(log.stoppedBefore()).isNull();
    assertThat(log.errors()).containsExactly("recovery ended before configured recovery target was reached");
    assertThat(log.whereItStopped()).contains("last replayed commit at 2026-11-22T20:29:32.205895Z").contains("0/3016220");
  }

  @Test
  void timesInAnyOffsetPostgresPrints() {
    assertThat(RecoveryLog.time("2024-01-01 12:00:00+00")).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
    assertThat(RecoveryLog.time("2024-01-01 17:30:00.5+05:30")).isEqualTo(Instant.parse("2024-01-01T12:00:00.5Z"));
    assertThat(RecoveryLog.time("2024-01-01 09:00:00-03")).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
  }

  @Test
  void onlyTheLastRecoveryAttemptCounts() {
    RecoveryLog log = RecoveryLog.read(LOG + "LOG:  starting point-in-time recovery to 2026-11-22 20:29:30.7+00\n");
    assertThat(log.stoppedBefore()).isNull();
    assertThat(log.evidence()).hasSize(1);
  }
}

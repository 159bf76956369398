package io.pgrunbooks.activities.pitr;

import io.pgrunbooks.activities.pitr.StanzaInfo.Archive;
import io.pgrunbooks.activities.pitr.StanzaInfo.Backup;
import io.pgrunbooks.workflows.pitr.RecoveryWindow;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The rule that decides whether a target time can be recovered, and from which backup.
 *
 * <p>The window opens one second after the stop time of the earliest usable backup: before that
 * the restored cluster is not consistent yet (PostgreSQL refuses such a target), and pgBackRest
 * records the stop in whole seconds. A backup is usable when it belongs to the stanza's current
 * database, did not fail, and the archive still holds the WAL it starts from.
 *
 * <p>The window closes at the commit time of the last transaction in archived WAL, exclusive.
 * Recovery to a time stops before the first commit (or abort) after it; if the archive holds none,
 * PostgreSQL 13+ fails at the end of WAL ("recovery ended before configured recovery target was
 * reached") and pgBackRest would have only warned. That last commit is read from the archive
 * itself (see {@link ArchivedCommits}) after the running server sealed it (see {@link ArchiveSeal}).
 */
final class RecoveryWindows {
  private RecoveryWindows() {}

  /** The window, the backup to restore, and an upper bound of the target's WAL position. */
  record Decision(RecoveryWindow window, Backup backup, String targetLsnBefore) {}

  static Decision decide(StanzaInfo info, ArchivedCommits.LastCommit last, String archiveNote, Instant target, Instant now) {
    Archive archive = info.currentArchive();
    List<Backup> usable =
        info.backups().stream()
            .filter(b -> !b.error() && b.dbId() == info.currentDbId())
            .filter(b -> archive != null && b.archiveStart() != null && segmentNumber(b.archiveStart()) >= segmentNumber(archive.min()))
            .sorted(Comparator.comparing(Backup::stop))
            .toList();
    if (usable.isEmpty()) {
      throw PitrFailures.outsideWindow(
          "stanza " + info.name() + " has no usable backup (status: " + info.status() + "): nothing can be recovered");
    }
    Instant opens = opens(usable.get(0));
    Instant closes = last == null ? null : last.time();
    RecoveryWindow window =
        new RecoveryWindow(
            opens.toString(), closes == null ? null : closes.toString(), usable.get(0).label(),
            last == null ? null : last.lsn(), archive.max(), archiveNote);
    String range = "recoverable window of stanza " + info.name() + ": from " + opens + " (end of backup "
        + usable.get(0).label() + ") to before " + (closes == null ? "(unknown)" : closes) + " (the last commit in archived WAL"
        + (archiveNote == null ? "" : "; " + archiveNote) + ")";
    if (!target.isBefore(now)) {
      throw PitrFailures.outsideWindow("target " + target + " is not in the past (now " + now + "); " + range);
    }
    if (target.isBefore(opens)) {
      throw PitrFailures.outsideWindow(
          "target " + target + " is before the end of the earliest usable backup; " + range);
    }
    if (closes == null) {
      throw PitrFailures.outsideWindow(
          "no commit found at the end of the archived WAL, so no target can be proven reachable; " + range);
    }
    if (!target.isBefore(closes)) {
      throw PitrFailures.outsideWindow(
          "target " + target + " is not covered by archived WAL (no commit after it in the archive); " + range);
    }
    Backup chosen = usable.stream().filter(b -> !target.isBefore(opens(b))).reduce((a, b) -> b).orElseThrow();
    String before =
        info.backups().stream()
            .filter(b -> !b.error() && b.start().isAfter(target) && b.lsnStart() != null)
            .map(Backup::lsnStart)
            .findFirst()
            .orElse(last.lsn());
    return new Decision(window, chosen, before);
  }

  private static Instant opens(Backup backup) {
    return backup.stop().plusSeconds(1);
  }

  /** A segment's position regardless of timeline: WAL before it is gone whatever the timeline. */
  static long segmentNumber(String segment) {
    return Long.parseUnsignedLong(segment.substring(8, 24), 16);
  }
}

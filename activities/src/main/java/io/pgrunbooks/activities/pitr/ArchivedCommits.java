package io.pgrunbooks.activities.pitr;

import io.pgrunbooks.activities.host.OsCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The last transaction end (commit or abort, the records a time target can stop at) in archived
 * WAL: the newest archived segments are fetched with archive-get and read with pg_waldump, newest
 * first, until one holds such a record. pgBackRest's info names the newest segment but not what
 * it contains.
 */
final class ArchivedCommits {
  /** Segments read at most: a sealed archive ends with a commit in its last one. */
  static final int MAX_SEGMENTS = 4;

  private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{24})-[0-9a-f]+(\\.[a-z0-9]+)?");
  private static final Pattern XACT_END =
      Pattern.compile("lsn: ([0-9A-F]+/[0-9A-F]+),.*desc: (?:COMMIT|ABORT)(?:_PREPARED \\d+:)? (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) UTC");
  private static final DateTimeFormatter WALDUMP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  private ArchivedCommits() {}

  /** A transaction end in the archive: its time, WAL position and segment. */
  record LastCommit(Instant time, String lsn, String segment) {}

  /** The newest transaction end in the archive's last segments, or null when they hold none. */
  static LastCommit find(PgBackRest pgbackrest, StanzaInfo.Archive archive, Path binDirectory, String osUser) {
    List<String> newest =
        pgbackrest.archiveFiles(archive.id(), archive.max().substring(0, 16)).stream()
            .map(SEGMENT::matcher)
            .filter(Matcher::matches)
            .map(m -> m.group(1))
            .filter(s -> s.compareTo(archive.max()) <= 0)
            .sorted(Comparator.reverseOrder())
            .limit(MAX_SEGMENTS)
            .toList();
    Path scratch = scratchDirectory(osUser);
    try {
      for (String segment : newest) {
        pgbackrest.archiveGet(segment, scratch.resolve(segment));
        // TZ=UTC: pg_waldump prints commit times in its own time zone, with only a zone name.
        OsCommand.Result dump =
            OsCommand.run(
                osUser,
                List.of("env", "TZ=UTC", binDirectory.resolve("pg_waldump").toString(), "--rmgr=Transaction",
                    "-p", scratch.toString(), segment),
                Duration.ofMinutes(2), null);
        // pg_waldump exits non-zero at the end of a switched segment; the records before it count.
        LastCommit last = lastIn(dump.stdout(), segment);
        Files.deleteIfExists(scratch.resolve(segment));
        if (last != null) {
          return last;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(scratch);
    }
  }

  /** The last transaction end in pg_waldump's output (run with TZ=UTC). */
  static LastCommit lastIn(String waldump, String segment) {
    LastCommit last = null;
    for (String line : waldump.lines().toList()) {
      Matcher m = XACT_END.matcher(line);
      if (m.find()) {
        Instant time = LocalDateTime.parse(m.group(2), WALDUMP_TIME).toInstant(ZoneOffset.UTC);
        last = new LastCommit(time, m.group(1), segment);
      }
    }
    return last;
  }

  /** A private directory the OS user can write archive-get's copy into. */
  private static Path scratchDirectory(String osUser) {
    try {
      Path dir = Files.createTempDirectory("pgrb-pitr-wal-");
      if (osUser != null && !osUser.equals(System.getProperty("user.name"))) {
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory: best effort
    }
  }
}

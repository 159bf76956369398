package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.disk.Bytes;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The old dump files that may go, as listed before the clean-old-dumps gate.
 *
 * @param directories the directories looked in (their top level only): the data directory, and the
 *     target's local dump directory when one is configured
 * @param retentionDays files last modified more than this many days ago qualify
 * @param cutoff RFC 3339: files modified before this qualify
 * @param files the qualifying files, oldest first
 * @param problems what could not be looked at, for a person (e.g. a dump directory refused)
 */
public record OldDumps(List<String> directories, int retentionDays, String cutoff, List<DumpFile> files, List<String> problems) {
  public OldDumps {
    directories = directories == null ? List.of() : List.copyOf(directories);
    files = files == null ? List.of() : List.copyOf(files);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public long totalBytes() {
    return files.stream().mapToLong(DumpFile::bytes).sum();
  }

  /** "3 dump file(s), 120.0 MiB: /data/a.dump (40.0 MiB, modified ...), ...". */
  public String describe() {
    return files.size() + " dump file(s), " + Bytes.human(totalBytes()) + ": "
        + files.stream().map(DumpFile::describe).collect(Collectors.joining(", "));
  }
}

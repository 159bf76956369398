package io.pgrunbooks.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One process run under {@code /usr/bin/time -v}: wall time (measured here, around the process),
 * and from time's report the peak RSS, CPU time and file-system output blocks of the process and
 * the descendants it waited for (pg_dump under the activity's JVM, for instance).
 */
final class TimedCommand {
  static final Path TIME = Path.of("/usr/bin/time");

  /** What one run cost. fsOutputBytes: 512-byte blocks the process tree wrote to file systems. */
  record Usage(double wallMs, long maxRssKb, double cpuSeconds, long fsOutputBytes) {}

  private TimedCommand() {}

  /**
   * Runs {@code command} with stdout to {@code stdoutFile} (or discarded when null) and stderr to
   * {@code logFile}; fails when it exits non-zero.
   */
  static Usage run(List<String> command, Map<String, String> env, Path stdoutFile, Path logFile) {
    try {
      Path report = Files.createTempFile(logFile.getParent(), "time-", ".txt");
      try {
        List<String> timed = new ArrayList<>(List.of(TIME.toString(), "-v", "-o", report.toString(), "--"));
        timed.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(timed).redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.redirectOutput(stdoutFile == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdoutFile.toFile()));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int exit = p.waitFor();
        double wallMs = (System.nanoTime() - t0) / 1e6;
        String text = Files.readString(report);
        if (exit != 0) {
          throw new IllegalStateException(
              command.get(0) + " exited " + exit + " (see " + logFile + "):\n" + tail(logFile) + text);
        }
        return new Usage(
            wallMs,
            (long) field(text, "Maximum resident set size (kbytes)"),
            field(text, "User time (seconds)") + field(text, "System time (seconds)"),
            (long) field(text, "File system outputs") * 512);
      } finally {
        Files.deleteIfExists(report);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double field(String report, String name) {
    for (String line : report.split("\n")) {
      String l = line.strip();
      if (l.startsWith(name + ":")) {
        return Double.parseDouble(l.substring(name.length() + 1).strip());
      }
    }
    throw new IllegalStateException("no '" + name + "' in /usr/bin/time's report:\n" + report);
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())) + "\n";
  }
}

package io.pgrunbooks.activities.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL client tool (pg_dump, pg_restore) as a child process: its stdin and stdout are the
 * caller's to stream, its stderr is kept (the last lines) for error messages, and the password
 * goes through PGPASSWORD, never the command line, which other users can read.
 */
public final class ToolProcess implements AutoCloseable {
  private static final int STDERR_LINES = 40;

  private final Process process;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrReader;

  private ToolProcess(Process process) {
    this.process = process;
    this.stderrReader = Thread.ofVirtual().name("tool-stderr").start(this::readStderr);
  }

  /** Starts the command; stdin is a pipe only when {@code feedStdin}, else /dev/null. */
  public static ToolProcess start(List<String> command, String password, boolean feedStdin) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("PGPASSFILE");
    pb.environment().remove("PGPASSWORD");
    if (password != null) {
      pb.environment().put("PGPASSWORD", password);
    }
    if (!feedStdin) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    return new ToolProcess(pb.start());
  }

  public InputStream stdout() {
    return process.getInputStream();
  }

  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Waits for the exit code (stderr fully read). */
  public int waitFor() throws InterruptedException {
    int exit = process.waitFor();
    stderrReader.join(TimeUnit.SECONDS.toMillis(5));
    return exit;
  }

  /** Waits up to {@code millis} for the tool to exit; true when it has (stderr fully read). */
  public boolean waitFor(long millis) throws InterruptedException {
    if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    stderrReader.join(TimeUnit.SECONDS.toMillis(5));
    return true;
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** The last lines the tool wrote to stderr. */
  public String stderr() {
    synchronized (stderrTail) {
      return String.join("\n", stderrTail);
    }
  }

  /** The last {@code n} stderr lines on one line, for messages. */
  public static String lastLines(String text, int n) {
    String[] lines = text.strip().split("\n");
    return String.join(" / ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
  }

  private void readStderr() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (stderrTail) {
          stderrTail.addLast(line);
          if (stderrTail.size() > STDERR_LINES) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException ignored) {
      // the process is gone; what was read is kept
    }
  }

  /** Kills the tool if it still runs (a failed stream, a cancelled activity). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}

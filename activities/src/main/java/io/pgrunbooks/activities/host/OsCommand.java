package io.pgrunbooks.activities.host;

import io.temporal.failure.ApplicationFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A command on this machine as the cluster's OS user (PostgreSQL tools refuse root, and files they
 * write must belong to that user): through runuser when the worker is root, directly when it
 * already is that user. Arguments go to the process as a list, never through a shell.
 */
public final class OsCommand {
  private static final int STDOUT_LIMIT = 8 * 1024 * 1024;
  private static final int STDERR_LINES = 40;

  /** What a finished command said. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The last lines of stderr (else stdout) on one line, for messages. */
    public String tail(int lines) {
      String text = stderr.isBlank() ? stdout : stderr;
      String[] all = text.strip().split("\n");
      return String.join(" / ", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }
  }

  private OsCommand() {}

  /** The command wrapped to run as {@code osUser}; bad configuration when the worker cannot switch to it. */
  public static List<String> as(String osUser, List<String> command) {
    String me = System.getProperty("user.name");
    if (osUser == null || osUser.isBlank() || osUser.equals(me)) {
      return command;
    }
    if (!"root".equals(me)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the worker runs as " + me + " but the cluster's commands must run as " + osUser
              + ": run the worker as " + osUser + " or as root", "WrongOsUser");
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", osUser, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Runs to completion within {@code timeout}; {@code progress} gets the latest output line every
   * few seconds while it runs (activities heartbeat with it).
   */
  public static Result run(String osUser, List<String> command, Duration timeout, Consumer<String> progress) {
    return run(osUser, command, java.util.Map.of(), timeout, progress);
  }

  /**
   * The same with extra environment variables (e.g. PGPASSWORD for a tool that logs in: the
   * environment, unlike the command line, is not visible to other users of the machine).
   */
  public static Result run(
      String osUser, List<String> command, java.util.Map<String, String> env, Duration timeout, Consumer<String> progress) {
    ProcessBuilder pb = new ProcessBuilder(as(osUser, command));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().remove("PGPASSWORD");
    pb.environment().putAll(env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot run " + command.get(0) + ": " + e.getMessage(), "CommandNotFound");
    }
    StringBuilder stdout = new StringBuilder();
    Deque<String> stderr = new ArrayDeque<>();
    String[] last = {""};
    Thread out = Thread.ofVirtual().start(() -> read(process.getInputStream(), line -> {
      synchronized (stdout) {
        if (stdout.length() < STDOUT_LIMIT) {
          stdout.append(line).append('\n');
        }
        last[0] = line;
      }
    }));
    Thread err = Thread.ofVirtual().start(() -> read(process.getErrorStream(), line -> {
      synchronized (stdout) {
        stderr.addLast(line);
        if (stderr.size() > STDERR_LINES) {
          stderr.removeFirst();
        }
        last[0] = line;
      }
    }));
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!process.waitFor(2, TimeUnit.SECONDS)) {
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw ApplicationFailure.newFailure(
              command.get(0) + " did not finish within " + timeout, "CommandTimedOut");
        }
        if (progress != null) {
          String line;
          synchronized (stdout) {
            line = last[0];
          }
          progress.accept(line);
        }
      }
      out.join(5_000);
      err.join(5_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(command.get(0) + " interrupted", "Interrupted");
    }
    synchronized (stdout) {
      return new Result(process.exitValue(), stdout.toString(), String.join("\n", stderr));
    }
  }

  private static void read(InputStream stream, Consumer<String> sink) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        sink.accept(line);
      }
    } catch (IOException ignored) {
      // the process is gone; what was read is kept
    }
  }
}

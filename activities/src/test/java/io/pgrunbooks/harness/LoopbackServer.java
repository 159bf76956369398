package io.pgrunbooks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the Prometheus-family servers of the tests share: a binary started on a free loopback port
 * with its config, data and log in a temp directory, ready when {@code /-/ready} answers 200, stopped
 * and its directory removed by {@link #close()}.
 */
abstract class LoopbackServer implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;
  private final Path directory;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** What a server's start does in its temp directory: write its config, start its process. */
  interface Setup<T> {
    T in(Path directory) throws IOException;
  }

  LoopbackServer(String name, Process process, int port, Path directory) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.directory = directory;
  }

  /** Runs the setup in a new temp directory, which is removed when the setup fails. */
  static <T> T inTempDirectory(String prefix, Setup<T> setup) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory(prefix);
      return setup.in(dir);
    } catch (IOException e) {
      if (dir != null) {
        Processes.removeTree(dir);
      }
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the command with its output in {@code <directory>/<name>.log}. */
  static Process launch(String name, List<String> command, Path directory) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve(name + ".log").toFile())
        .start();
  }

  /** Its base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Its log. */
  public String log() {
    try {
      return Files.readString(directory.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Waits for {@code /-/ready}; stops the server and fails with its log when it exits or takes too long. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = log();
        close();
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + log);
      }
      if (status("/-/ready") == 200) {
        return;
      }
      Processes.sleep(100);
    }
    String log = log();
    close();
    throw new IllegalStateException(name + " not ready after " + timeout + ": " + log);
  }

  private int status(String path) {
    try {
      return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException notYet) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5));
  }

  /** Sends the request; its answer. */
  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      Processes.stop(process, Duration.ofSeconds(20));
    } finally {
      Processes.removeTree(directory);
    }
  }
}

package io.pgrunbooks.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The java launcher of this JVM (children run the same JDK) and stopping a child process. */
final class ChildJvm {
  private ChildJvm() {}

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** SIGTERM, then SIGKILL after 10 s; also every process the child started. */
  static void stop(Process process) {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

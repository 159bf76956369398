package io.pgrunbooks.activities.disk;

import java.util.List;

/**
 * A command in the primary pod's PostgreSQL container ({@code kubectl exec}), arguments as a list,
 * never through a shell. Tests replace it: fabric8's CRUD mock server cannot serve exec.
 */
@FunctionalInterface
interface PodCommand {

  /** What a finished command said. */
  record Result(int exitCode, String stdout, String stderr) {}

  Result run(List<String> command);
}

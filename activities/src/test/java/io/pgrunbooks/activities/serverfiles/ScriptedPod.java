package io.pgrunbooks.activities.serverfiles;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A pod shell whose exec answers from a script and records the commands it was sent (fabric8's CRUD mock serves no exec). */
final class ScriptedPod {
  static final String DATA = "/var/lib/postgresql/data";
  static final TargetConfig TARGET = new TargetConfig(
      Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null), List.of(), List.of(), List.of(),
      new KubernetesPlacement("link-services", null, "postgres-primary-0", "postgres", DATA, null), null, null, null);

  final List<List<String>> sent = new ArrayList<>();
  final PodShell shell;

  ScriptedPod(Function<List<String>, OsCommand.Result> answers) {
    shell = new PodShell((placement, command) -> {
      sent.add(command);
      return answers.apply(command);
    });
  }
}

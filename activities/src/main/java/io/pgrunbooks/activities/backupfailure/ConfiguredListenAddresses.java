package io.pgrunbooks.activities.backupfailure;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.host.ServerSettings;
import io.pgrunbooks.activities.serverfiles.PodShell;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * Scenario 1's {@code kubectl exec postgres-primary-0 -- cat /var/lib/postgresql/data/postgresql.conf
 * | grep listen_addresses}, for a server that does not answer SQL (when it answers, SHOW is the truth).
 * Host: {@code postgres -C listen_addresses}, which sees the included files and the command line too.
 * Kubernetes: postgresql.conf and postgresql.auto.conf of the data directory in the primary pod, the
 * later line winning as in the server; neither setting it means the default, {@code localhost}, which
 * no other pod can reach. Best effort: null when it cannot be read (the pod does not run, no exec
 * rights), never a failure of the check.
 */
final class ConfiguredListenAddresses {
  static final String DEFAULT = "localhost";

  private final PodShell pod;

  ConfiguredListenAddresses(PodShell pod) {
    this.pod = pod;
  }

  String of(TargetConfig target) {
    try {
      if (target.hosting() == Hosting.HOST) {
        if (target.host() == null) {
          return null;
        }
        OsCommand.Result shown = ServerSettings.show(target.host(), "listen_addresses");
        return shown.ok() ? shown.stdout().strip() : null;
      }
      PrimaryStatefulSet.statefulSetOf(target); // the pod's name and namespace are checked before the exec
      PrimaryStatefulSet.namespace(target);
      String data = pod.dataDirectory(target);
      OsCommand.Result grep = pod.run(target, List.of(
          "grep", "-h", "-E", "^[[:space:]]*listen_addresses[[:space:]]*=", data + "/postgresql.conf", data + "/postgresql.auto.conf"));
      if (grep.exitCode() == 1) {
        return DEFAULT;
      }
      List<String> lines = grep.stdout().lines().filter(l -> !l.isBlank()).toList();
      return grep.ok() && !lines.isEmpty() ? value(lines.get(lines.size() - 1)) : null;
    } catch (RuntimeException unreadable) {
      return null; // an invalid name, a pod that does not run, no exec rights, an API server away: nothing known
    }
  }

  /** {@code listen_addresses = '*'   # comment} -> {@code *}. */
  static String value(String line) {
    String value = line.substring(line.indexOf('=') + 1).strip();
    if (value.startsWith("'")) {
      int end = value.indexOf('\'', 1);
      return value.substring(1, end < 0 ? value.length() : end);
    }
    int comment = value.indexOf('#');
    return (comment < 0 ? value : value.substring(0, comment)).strip();
  }
}

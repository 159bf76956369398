package io.pgrunbooks.activities.serverfiles;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** The {@link ServerShell} of a target's hosting. */
@Component
public class ServerShells {
  private final Map<Hosting, ServerShell> shells = new EnumMap<>(Hosting.class);

  @Autowired
  public ServerShells(Supplier<KubernetesClient> kubernetes) {
    this(List.of(new HostShell(), new PodShell(kubernetes)));
  }

  /** With other shells (tests: a pod shell whose exec is scripted). */
  public ServerShells(List<ServerShell> shells) {
    shells.forEach(s -> this.shells.put(s.hosting(), s));
  }

  public ServerShell of(TargetConfig target) {
    ServerShell shell = shells.get(target.hosting());
    if (shell == null) {
      throw new IllegalStateException("no shell for hosting " + target.hosting());
    }
    return shell;
  }
}

package io.pgrunbooks.activities.hosting;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Picks the hosting implementation a target's configuration names. */
@Component
public class ClusterHostings {
  private final Map<Hosting, ClusterHosting> byHosting = new EnumMap<>(Hosting.class);

  public ClusterHostings(List<ClusterHosting> hostings) {
    hostings.forEach(h -> byHosting.put(h.hosting(), h));
  }

  public ClusterHosting of(TargetConfig target) {
    ClusterHosting hosting = byHosting.get(target.hosting());
    if (hosting == null) {
      throw new IllegalStateException("no implementation for hosting " + target.hosting());
    }
    return hosting;
  }
}

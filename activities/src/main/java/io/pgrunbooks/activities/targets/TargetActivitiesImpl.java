package io.pgrunbooks.activities.targets;

import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.targets.TargetActivities;
import io.pgrunbooks.workflows.targets.TargetProfile;
import org.springframework.stereotype.Component;

@Component
public class TargetActivitiesImpl implements TargetActivities {
  private final TargetRegistry registry;

  public TargetActivitiesImpl(TargetRegistry registry) {
    this.registry = registry;
  }

  @Override
  public TargetProfile describeTarget(String target) {
    TargetConfig c = registry.get(target);
    String location =
        c.hosting() == Hosting.KUBERNETES
            ? "namespace " + c.kubernetes().namespace()
            : "data directory " + c.host().dataDirectory();
    return new TargetProfile(
        target, c.hosting(), location, c.databases(), c.applicationDeployments(), c.thresholds());
  }
}

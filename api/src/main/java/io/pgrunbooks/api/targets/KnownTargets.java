package io.pgrunbooks.api.targets;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Names of the configured targets, read from the configuration the workers share, so that a run
 * for an unknown target is refused with 400 before it starts rather than failing afterwards. Only
 * the names are read: endpoints and secret references stay with the workers.
 */
@Component
public class KnownTargets {
  private final Set<String> names;

  public KnownTargets(Environment environment) {
    Map<String, Object> targets =
        Binder.get(environment)
            .bind("pgrunbooks.targets", Bindable.mapOf(String.class, Object.class))
            .orElse(Map.of());
    this.names = Set.copyOf(new TreeSet<>(targets.keySet()));
  }

  public Set<String> names() {
    return new TreeSet<>(names);
  }

  public boolean contains(String name) {
    return names.contains(name);
  }
}

package io.pgrunbooks.activities.replication;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.ReplicaPlacement;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica as configured: its name, its JDBC endpoint and where it runs (null when the target
 * names only its endpoint: then it is looked at, never changed).
 */
record Replica(String name, Endpoint endpoint, ReplicaPlacement placement) {
  private static final String NAME = "[A-Za-z0-9_.-]{1,63}";

  /** The target's replicas, or only the one named ({@code only} null: all). */
  static List<Replica> of(TargetConfig config, String target, String only) {
    List<Replica> all = new ArrayList<>();
    List<ReplicaPlacement> placements = config.replication() == null ? List.of() : config.replication().replicas();
    if (placements.isEmpty()) {
      for (int i = 0; i < config.replicas().size(); i++) {
        all.add(new Replica("replica-" + (i + 1), config.replicas().get(i), null));
      }
    }
    for (int i = 0; i < placements.size(); i++) {
      ReplicaPlacement p = placements.get(i);
      int index = p.endpoint() == null ? i : p.endpoint();
      if (p.name() == null || !p.name().matches(NAME)) {
        throw invalid("target " + target + ": replica name '" + p.name() + "' must match " + NAME);
      }
      if (p.slot() != null && !p.slot().matches("[a-z0-9_]{1,63}")) {
        throw invalid("target " + target + ": slot '" + p.slot() + "' of " + p.name() + " is not a slot name ([a-z0-9_])");
      }
      if (index < 0 || index >= config.replicas().size()) {
        throw invalid("target " + target + ": replica " + p.name() + " names endpoint " + index + " but the target has "
            + config.replicas().size() + " replica endpoint(s)");
      }
      all.add(new Replica(p.name(), config.replicas().get(index), p));
    }
    if (only == null) {
      return all;
    }
    List<Replica> one = all.stream().filter(r -> r.name().equals(only)).toList();
    if (one.isEmpty()) {
      throw invalid("target " + target + " has no replica '" + only + "'; its replicas: "
          + all.stream().map(Replica::name).toList());
    }
    return one;
  }

  static Replica named(TargetConfig config, String target, String name) {
    if (name == null) {
      throw invalid("name the replica");
    }
    return of(config, target, name).get(0);
  }

  static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, "InvalidTarget");
  }
}

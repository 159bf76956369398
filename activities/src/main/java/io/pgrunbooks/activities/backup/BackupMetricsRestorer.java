package io.pgrunbooks.activities.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetsProperties;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After a worker (re)starts, seeds {@code postgres_backup_last_success_timestamp} from the
 * {@code latest/<database>.json} pointers in the store, so that a restart does not look like
 * "no backup in 24 hours" to the alert. Best effort and in the background: a store that cannot be
 * read only means the gauge starts empty, as before.
 */
@Component
public class BackupMetricsRestorer {
  private static final Logger log = LoggerFactory.getLogger(BackupMetricsRestorer.class);

  private final TargetsProperties targets;
  private final ObjectStorage storage;
  private final BackupMetrics metrics;
  private final ObjectMapper json = new ObjectMapper();

  public BackupMetricsRestorer(TargetsProperties targets, ObjectStorage storage, BackupMetrics metrics) {
    this.targets = targets;
    this.storage = storage;
    this.metrics = metrics;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void restoreInBackground() {
    Thread.ofVirtual().name("backup-metrics-restore").start(this::restore);
  }

  /** Reads every configured target's latest pointers; returns how many gauges it seeded. */
  public int restore() {
    int seeded = 0;
    for (Map.Entry<String, TargetConfig> target : targets.targets().entrySet()) {
      TargetConfig.BackupSettings backup = target.getValue().backup();
      if (backup == null || backup.store() == null) {
        continue;
      }
      for (String database : target.getValue().databases()) {
        String key = backup.prefix() + "/latest/" + database + ".json";
        try {
          if (storage.head(backup.store(), key).isEmpty()) {
            continue;
          }
          JsonNode pointer = json.readTree(storage.getText(backup.store(), key));
          metrics.restore(target.getKey(), database, Instant.parse(pointer.get("movedAt").asText()).getEpochSecond());
          seeded++;
        } catch (Exception e) {
          log.warn("cannot read {} of target {}: {}", key, target.getKey(), e.getMessage());
        }
      }
    }
    return seeded;
  }
}

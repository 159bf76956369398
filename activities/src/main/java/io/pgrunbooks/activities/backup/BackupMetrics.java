package io.pgrunbooks.activities.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The metrics the seed's PostgreSQLBackupFailed alert reads, per target and database: {@code
 * postgres_backup_last_success_timestamp} (seconds since the epoch) and {@code
 * postgres_backup_errors_total}. Prometheus names them so from the Micrometer names below.
 */
@Component
public class BackupMetrics {
  static final String LAST_SUCCESS = "postgres.backup.last.success.timestamp";
  static final String ERRORS = "postgres.backup.errors";

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

  @Autowired
  public BackupMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  BackupMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  public void succeeded(String target, String database) {
    lastSuccess(target, database).accumulateAndGet(clock.instant().getEpochSecond(), Math::max);
  }

  /** Seeds the gauge from the store after a restart, so that the alert does not fire falsely. */
  public void restore(String target, String database, long epochSecond) {
    lastSuccess(target, database).accumulateAndGet(epochSecond, Math::max);
  }

  public void failed(String target, String database, String errorType) {
    errors(target, database, errorType).increment();
  }

  private AtomicLong lastSuccess(String target, String database) {
    return lastSuccess.computeIfAbsent(
        target + "\0" + database,
        k -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(LAST_SUCCESS, value, AtomicLong::doubleValue)
              .description("When the last backup of the database succeeded, in seconds since the epoch")
              .tags(Tags.of("target", target, "database", database))
              .register(registry);
          return value;
        });
  }

  private Counter errors(String target, String database, String errorType) {
    return Counter.builder(ERRORS)
        .description("Failed backups of the database")
        .tags(Tags.of("target", target, "database", database, "error", errorType == null ? "Unknown" : errorType))
        .register(registry);
  }
}

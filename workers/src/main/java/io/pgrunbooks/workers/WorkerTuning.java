package io.pgrunbooks.workers;

import io.temporal.spring.boot.WorkerOptionsCustomizer;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Worker options the starter's properties do not cover. */
@Configuration(proxyBeanMethods = false)
class WorkerTuning {

  /**
   * The SDK sends an activity's heartbeats to the server at most every 0.8 x its heartbeat timeout
   * (24 s for a dump), so a run's status would show a backup's bytes only that often. Five seconds
   * keeps progress current for a person watching, at one small RPC per long activity every 5 s.
   */
  @Bean
  WorkerOptionsCustomizer heartbeatsOftenEnoughToWatch() {
    return (builder, workerName, taskQueue) -> builder.setMaxHeartbeatThrottleInterval(Duration.ofSeconds(5));
  }
}

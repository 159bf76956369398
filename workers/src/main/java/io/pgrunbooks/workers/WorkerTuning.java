package io.pgrunbooks.workers;

import io.pgrunbooks.workflows.common.StepSummaries;
import io.temporal.common.interceptors.WorkerInterceptor;
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

  /**
   * Every activity's summary in the Web UI names the runbook step it serves ("step alert-details:
   * ReadBackupAlert"); the starter adds every WorkerInterceptor bean to the worker factory.
   */
  @Bean
  WorkerInterceptor stepSummaries() {
    return new StepSummaries();
  }
}

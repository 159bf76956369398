package io.pgrunbooks.workers;

import io.pgrunbooks.activities.storage.StoresProperties;
import io.pgrunbooks.activities.targets.TargetsProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Spring Boot app that hosts the Temporal workers. Workflows are registered by class in {@code
 * application.yml} (the workflows module stays free of Spring), activities are the beans of the
 * activities module.
 */
@SpringBootApplication(scanBasePackages = {"io.pgrunbooks.workers", "io.pgrunbooks.activities"})
@EnableConfigurationProperties({TargetsProperties.class, StoresProperties.class})
public class WorkersApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkersApplication.class, args);
  }
}

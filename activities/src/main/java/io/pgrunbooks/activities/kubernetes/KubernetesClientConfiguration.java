package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes client, built on first use from the usual sources (in-cluster service account,
 * KUBECONFIG, ~/.kube/config), so that a worker serving only host targets never needs a cluster.
 */
@Configuration(proxyBeanMethods = false)
public class KubernetesClientConfiguration {

  @Bean(destroyMethod = "")
  Supplier<KubernetesClient> kubernetesClient() {
    return new Supplier<>() {
      private volatile KubernetesClient client;

      @Override
      public KubernetesClient get() {
        KubernetesClient c = client;
        if (c == null) {
          synchronized (this) {
            if (client == null) {
              client = new KubernetesClientBuilder().build();
            }
            c = client;
          }
        }
        return c;
      }
    };
  }
}

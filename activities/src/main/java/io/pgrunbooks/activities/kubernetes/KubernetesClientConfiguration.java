package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes client, built on first use from the usual sources (in-cluster service account,
 * KUBECONFIG, ~/.kube/config), so that a worker serving only host targets never needs a cluster.
 * {@code pgrunbooks.kubernetes.master-url} overrides the API server, e.g. for a worker outside
 * the cluster that reaches it through a proxy.
 */
@Configuration(proxyBeanMethods = false)
public class KubernetesClientConfiguration {

  @Bean(destroyMethod = "")
  Supplier<KubernetesClient> kubernetesClient(@Value("${pgrunbooks.kubernetes.master-url:}") String masterUrl) {
    return new Supplier<>() {
      private volatile KubernetesClient client;

      @Override
      public KubernetesClient get() {
        KubernetesClient c = client;
        if (c == null) {
          synchronized (this) {
            if (client == null) {
              client = masterUrl.isBlank()
                  ? new KubernetesClientBuilder().build()
                  : new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(masterUrl).build()).build();
            }
            c = client;
          }
        }
        return c;
      }
    };
  }
}

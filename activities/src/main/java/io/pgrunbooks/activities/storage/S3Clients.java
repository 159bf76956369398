package io.pgrunbooks.activities.storage;

import io.pgrunbooks.activities.secrets.SecretResolver;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * One S3 client per store, built on first use and kept: a client owns a connection pool, and
 * building one per call would reconnect (and re-resolve secrets) for every small read.
 *
 * <p>Timeouts are short and SDK retries few because Temporal retries the whole activity with
 * backoff and a visible attempt count; SDK retries hidden inside an attempt would only delay the
 * failure a person needs to see. Secrets are read once per client; a rotated key takes effect
 * after {@link #evict}, or when the worker restarts.
 */
@Component
public class S3Clients implements AutoCloseable {
  /** Time to open a TCP connection: a store that does not answer in this is down for now. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Longest silence within a response; a part upload is written and acknowledged well inside it. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

  /** Attempts per call, the first included: rides over one dropped connection, no more. */
  static final int MAX_ATTEMPTS = 3;

  private final StoreRegistry registry;
  private final SecretResolver secrets;
  private final ConcurrentMap<String, S3Client> clients = new ConcurrentHashMap<>();

  public S3Clients(StoreRegistry registry, SecretResolver secrets) {
    this.registry = registry;
    this.secrets = secrets;
  }

  /** The store's client. Fails non-retryably when the store is unknown or its secrets unresolvable. */
  public S3Client client(String store) {
    StoreConfig config = registry.get(store);
    return clients.computeIfAbsent(store, name -> build(name, config));
  }

  /** Forgets a store's client (after a key rotation); the next call builds a new one. */
  public void evict(String store) {
    S3Client client = clients.remove(store);
    if (client != null) {
      client.close();
    }
  }

  /** Closes every client (Spring calls it at shutdown). */
  @Override
  public void close() {
    clients.keySet().forEach(this::evict);
  }

  private S3Client build(String store, StoreConfig config) {
    var builder =
        S3Client.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(credentials(store, config))
            .forcePathStyle(config.pathStyle())
            .httpClientBuilder(httpClientBuilder())
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS))
                    .build());
    if (config.endpoint() != null) {
      if (config.endpoint().getScheme() == null || config.endpoint().getHost() == null) {
        throw StoreRegistry.badConfig(
            store, "endpoint '" + config.endpoint() + "' is not a URL like http://host:port");
      }
      builder.endpointOverride(config.endpoint());
    }
    return builder.build();
  }

  private AwsCredentialsProvider credentials(String store, StoreConfig config) {
    if (!config.hasStaticCredentials()) {
      return DefaultCredentialsProvider.builder().build();
    }
    String accessKey = secrets.resolve(config.accessKeyRef());
    String secretKey = secrets.resolve(config.secretKeyRef());
    if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw StoreRegistry.badConfig(store, "access-key-ref or secret-key-ref resolves to an empty value");
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  /**
   * The sync HTTP client with our timeouts. The s3 artifact brings Apache HttpClient 5 only at
   * runtime scope, so it is found the way the SDK finds it (its service loader) and configured
   * through the SDK's generic options rather than its own builder class. Handing the SDK a builder
   * (not a client) lets the S3 client close its connection pool with itself.
   */
  static SdkHttpClient.Builder<?> httpClientBuilder() {
    SdkHttpService service =
        ServiceLoader.load(SdkHttpService.class).stream()
            .map(ServiceLoader.Provider::get)
            .min((a, b) -> Boolean.compare(!isApache(a), !isApache(b)))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no AWS SDK HTTP client on the classpath: add software.amazon.awssdk:apache5-client"));
    SdkHttpClient.Builder<?> delegate = service.createHttpClientBuilder();
    AttributeMap timeouts =
        AttributeMap.builder()
            .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, CONNECT_TIMEOUT)
            .put(SdkHttpConfigurationOption.READ_TIMEOUT, SOCKET_TIMEOUT)
            .put(SdkHttpConfigurationOption.WRITE_TIMEOUT, SOCKET_TIMEOUT)
            .build();
    return new TimedHttpClientBuilder(delegate, timeouts);
  }

  /** Our timeouts over the SDK's defaults for the service. */
  private record TimedHttpClientBuilder(SdkHttpClient.Builder<?> delegate, AttributeMap timeouts)
      implements SdkHttpClient.Builder<TimedHttpClientBuilder> {
    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
      return delegate.buildWithDefaults(timeouts.merge(serviceDefaults));
    }
  }

  private static boolean isApache(SdkHttpService service) {
    return service.getClass().getName().contains(".apache");
  }
}

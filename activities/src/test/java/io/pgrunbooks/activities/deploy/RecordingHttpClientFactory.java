package io.pgrunbooks.activities.deploy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.pgrunbooks.activities.kubernetes.PodLogs;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fabric8 HTTP client of the activities module's tests: Vert.x's, with an interceptor that, while
 * {@link #recording} is on, notes every request with the code that made it. Found by fabric8 through
 * {@code META-INF/services} (it outranks Vert.x's factory), so that the clients the mock-server
 * extension builds for every test carry it. The caller is the innermost {@code io.pgrunbooks} frame on the
 * calling thread: a class from {@code target/classes} is the code under test, one from
 * {@code target/test-classes} the test's own fixture or assertion, which {@link KubernetesRbacTest} leaves out.
 */
public final class RecordingHttpClientFactory implements HttpClient.Factory {

  /** A request as sent: method, path with query, and the frame that sent it ({@code null}: no io.pgrunbooks frame). */
  public record Call(String method, String pathAndQuery, StackWalker.StackFrame caller, boolean fromMainCode) {
    public String callerName() {
      return caller == null ? "(no io.pgrunbooks frame: a fabric8 thread)" : caller.getClassName() + "." + caller.getMethodName()
          + ":" + caller.getLineNumber();
    }
  }

  static volatile boolean recording;
  static final List<Call> CALLS = new CopyOnWriteArrayList<>();
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final VertxHttpClientFactory delegate = new VertxHttpClientFactory();

  @Override
  public int priority() {
    return delegate.priority() + 1;
  }

  @Override
  public HttpClient.Builder newBuilder() {
    return delegate.newBuilder().addOrReplaceInterceptor("pg-runbooks-rbac-recorder", RECORDER);
  }

  @Override
  public HttpClient.Builder newBuilder(Config config) {
    return delegate.newBuilder(config).addOrReplaceInterceptor("pg-runbooks-rbac-recorder", RECORDER);
  }

  private static final Interceptor RECORDER = new Interceptor() {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if (!recording) {
        return;
      }
      Optional<StackWalker.StackFrame> caller = WALKER.walk(frames -> frames
          .filter(f -> f.getClassName().startsWith("io.pgrunbooks.") && f.getDeclaringClass() != RecordingHttpClientFactory.class
              && !f.getClassName().startsWith(RecordingHttpClientFactory.class.getName())
              && !f.getClassName().equals(PodLogs.class.getName())) // a helper: the caller is the code that asked for the log
          .findFirst());
      String query = request.uri().getRawQuery();
      CALLS.add(new Call(request.method(), request.uri().getRawPath() + (query == null ? "" : "?" + query),
          caller.orElse(null), caller.map(f -> !isTestClass(f.getDeclaringClass())).orElse(true)));
    }
  };

  private static boolean isTestClass(Class<?> type) {
    var source = type.getProtectionDomain().getCodeSource();
    return source != null && source.getLocation().getPath().contains("/test-classes/");
  }
}

package io.pgrunbooks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client on loopback, as curl would be: no Spring test helpers between the caller and
 * the API. Shared by the api module's end-to-end tests and the bench.
 */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Status, Content-Type ("" when absent), the body as JSON (null unless an object or array) and as text. */
  public record Response(int status, String contentType, JsonNode body, String raw) {}

  public Response get(String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
  }

  public Response post(String path, String token, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        token);
  }

  public Response delete(String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), token);
  }

  private Response send(HttpRequest.Builder request, String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.timeout(Duration.ofSeconds(120));
    try {
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String raw = r.body();
      JsonNode body = null;
      String trimmed = raw == null ? "" : raw.trim();
      if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        body = JSON.readTree(raw);
      }
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body, raw);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

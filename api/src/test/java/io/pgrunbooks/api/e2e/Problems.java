package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.harness.Http;

/** What every error answer must be: a problem detail with the status and a message, no stack trace. */
final class Problems {
  private Problems() {}

  static void assertProblem(Http.Response r, int status, String detailContains) {
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body().get("status").asInt()).isEqualTo(status);
    assertThat(r.body().get("detail").asText()).contains(detailContains);
    assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}

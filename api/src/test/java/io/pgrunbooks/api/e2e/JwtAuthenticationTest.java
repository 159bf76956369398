package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** OIDC-style JWT bearer tokens: signature, expiry, roles claim, and who is recorded as requester. */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwtAuthenticationTest {
  private static final KeyPair ISSUER = rsa();
  private static final KeyPair STRANGER = rsa();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) throws Exception {
    StackFixture.apiProperties(registry);
    Path pem = Files.createTempFile("issuer-", ".pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    registry.add("pgrunbooks.security.jwt.public-key-location", () -> "file:" + pem);
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String jwt(KeyPair key, String user, List<String> roles, Instant expires) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("sub-" + user)
            .claim("preferred_username", user)
            .claim("roles", roles)
            .issueTime(Date.from(expires.minusSeconds(600)))
            .expirationTime(Date.from(expires))
            .build();
    SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    token.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
    return token.serialize();
  }

  @Test
  void aSignedTokenWithTheOperatorRoleStartsARunRecordedUnderItsUser() throws Exception {
    String token = jwt(ISSUER, "dana", List.of("operator"), Instant.now().plusSeconds(300));
    Http.Response r =
        new Http(port).post("/api/runs", token, "{\"runbook\":\"assess-database-health\",\"target\":\"demo\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(202);
    assertThat(r.body().get("requestedBy").asText()).isEqualTo("dana");
    // No worker serves this run here; end it so it does not linger.
    WorkflowClient.newInstance(StackFixture.service(), WorkflowClientOptions.newBuilder().build())
        .newUntypedWorkflowStub(r.body().get("workflowId").asText())
        .terminate("test done");
  }

  @Test
  void aViewerTokenReadsButCannotStart() throws Exception {
    String token = jwt(ISSUER, "victoria", List.of("viewer"), Instant.now().plusSeconds(300));
    Http http = new Http(port);
    assertThat(http.get("/api/runbooks", token).status()).isEqualTo(200);
    assertThat(http.post("/api/runs", token, "{\"runbook\":\"assess-database-health\",\"target\":\"demo\"}").status())
        .isEqualTo(403);
  }

  @Test
  void anExpiredTokenIs401() throws Exception {
    String token = jwt(ISSUER, "dana", List.of("operator"), Instant.now().minusSeconds(600));
    Http.Response r = new Http(port).get("/api/runbooks", token);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().get("detail").asText()).containsIgnoringCase("expired");
  }

  @Test
  void aTokenSignedByAnotherKeyIs401() throws Exception {
    String token = jwt(STRANGER, "mallory", List.of("operator", "approver"), Instant.now().plusSeconds(300));
    assertThat(new Http(port).get("/api/runbooks", token).status()).isEqualTo(401);
  }

  @Test
  void staticTokensStillWorkBesideJwts() {
    assertThat(new Http(port).get("/api/runbooks", StackFixture.VIEWER_TOKEN).status()).isEqualTo(200);
  }
}

package io.pgrunbooks.api.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code pgrunbooks.security}.
 *
 * @param tokens static bearer tokens (for the local stack and tools); blank values are ignored
 * @param jwt OIDC JWT validation; off when neither issuer nor public key is set
 */
@ConfigurationProperties("pgrunbooks.security")
public record ApiSecurityProperties(List<StaticToken> tokens, Jwt jwt) {

  public ApiSecurityProperties {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    jwt = jwt == null ? new Jwt(null, null, null, null) : jwt;
  }

  /**
   * @param name the person or tool the token stands for (recorded as who started a run)
   * @param token the token itself, usually {@code ${SOME_ENV_VAR}}
   * @param roles viewer, operator, approver
   */
  public record StaticToken(String name, String token, List<String> roles) {}

  /**
   * @param issuerUri the OIDC issuer; its discovery document gives the keys
   * @param publicKeyLocation alternatively, an RSA public key (PEM) that signs the tokens
   * @param rolesClaim claim holding the roles (default {@code roles})
   * @param usernameClaim claim naming the person (default {@code preferred_username}, then sub)
   */
  public record Jwt(String issuerUri, String publicKeyLocation, String rolesClaim, String usernameClaim) {
    boolean enabled() {
      return notBlank(issuerUri) || notBlank(publicKeyLocation);
    }

    private static boolean notBlank(String s) {
      return s != null && !s.isBlank();
    }
  }
}

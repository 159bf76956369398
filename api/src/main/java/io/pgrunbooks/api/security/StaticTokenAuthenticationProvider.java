package io.pgrunbooks.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Static bearer tokens from configuration. Tokens are compared as SHA-256 digests in constant time,
 * so neither the comparison's duration nor a heap dump of this object gives a token away.
 */
final class StaticTokenAuthenticationProvider implements AuthenticationProvider {
  private record Entry(byte[] digest, String name, List<SimpleGrantedAuthority> authorities) {}

  private final List<Entry> entries;
  private final boolean lastResort;

  /**
   * @param lastResort true when no other provider follows: an unknown token is then rejected here
   */
  StaticTokenAuthenticationProvider(List<ApiSecurityProperties.StaticToken> tokens, boolean lastResort) {
    this.entries =
        tokens.stream()
            .filter(t -> t.token() != null && !t.token().isBlank())
            .map(
                t ->
                    new Entry(
                        sha256(t.token()),
                        t.name(),
                        Roles.authorities(t.roles() == null ? List.of() : t.roles())))
            .toList();
    this.lastResort = lastResort;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    byte[] presented = sha256(((BearerTokenAuthenticationToken) authentication).getToken());
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), presented)) {
        return UsernamePasswordAuthenticationToken.authenticated(e.name(), null, e.authorities());
      }
    }
    if (lastResort) {
      throw new InvalidBearerTokenException("unknown bearer token");
    }
    return null; // let the JWT provider try
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

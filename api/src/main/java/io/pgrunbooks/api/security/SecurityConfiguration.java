package io.pgrunbooks.api.security;

import java.io.IOException;
import java.io.InputStream;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every endpoint but health and the OpenAPI document needs a bearer token. Reading needs viewer (or any role), starting a
 * run (also by Alertmanager's webhook) needs operator, rejecting at a gate operator or approver, approving approver. No sessions or
 * cookies: each request carries its token, so CSRF does not apply.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(HttpSecurity http, ApiSecurityProperties properties) throws Exception {
    AuthenticationManager tokens = authenticationManager(properties);
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    // The OpenAPI document says what the endpoints take, as the README does: no run,
                    // target or person. Tools (client generators, the fuzz test) read it before they
                    // hold a token.
                    .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/api/runs", "/api/schedules", "/api/alerts/alertmanager")
                    .hasRole(Roles.OPERATOR)
                    .requestMatchers(HttpMethod.DELETE, "/api/schedules/**")
                    .hasRole(Roles.OPERATOR)
                    // Rejecting needs operator or approver; approving needs approver (checked with the body).
                    .requestMatchers(HttpMethod.POST, "/api/approvals/**")
                    .hasAnyRole(Roles.OPERATOR, Roles.APPROVER)
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .hasAnyRole(Roles.VIEWER, Roles.OPERATOR, Roles.APPROVER)
                    .anyRequest()
                    .denyAll())
        .oauth2ResourceServer(
            o ->
                o.authenticationManagerResolver(request -> tokens)
                    .authenticationEntryPoint(ProblemResponses.unauthorized())
                    .accessDeniedHandler(ProblemResponses.forbidden()))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(ProblemResponses.unauthorized())
                    .accessDeniedHandler(ProblemResponses.forbidden()));
    return http.build();
  }

  private static AuthenticationManager authenticationManager(ApiSecurityProperties properties) {
    List<AuthenticationProvider> providers = new ArrayList<>();
    boolean jwt = properties.jwt().enabled();
    providers.add(new StaticTokenAuthenticationProvider(properties.tokens(), !jwt));
    if (jwt) {
      JwtAuthenticationProvider provider = new JwtAuthenticationProvider(jwtDecoder(properties.jwt()));
      provider.setJwtAuthenticationConverter(jwtConverter(properties.jwt()));
      providers.add(provider);
    }
    return new ProviderManager(providers);
  }

  /** Built on first use, so that the API starts while the identity provider is still coming up. */
  static JwtDecoder jwtDecoder(ApiSecurityProperties.Jwt jwt) {
    if (jwt.publicKeyLocation() != null && !jwt.publicKeyLocation().isBlank()) {
      try (InputStream pem = new DefaultResourceLoader().getResource(jwt.publicKeyLocation()).getInputStream()) {
        RSAPublicKey key = RsaKeyConverters.x509().convert(pem);
        return NimbusJwtDecoder.withPublicKey(key).build();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read pgrunbooks.security.jwt.public-key-location " + jwt.publicKeyLocation(), e);
      }
    }
    return new SupplierJwtDecoder(() -> JwtDecoders.fromIssuerLocation(jwt.issuerUri()));
  }

  /** Roles from the roles claim; the person from the username claim, else the subject. */
  static Converter<Jwt, AbstractAuthenticationToken> jwtConverter(ApiSecurityProperties.Jwt jwt) {
    String rolesClaim = jwt.rolesClaim() == null ? "roles" : jwt.rolesClaim();
    String usernameClaim = jwt.usernameClaim() == null ? "preferred_username" : jwt.usernameClaim();
    Converter<Jwt, Collection<GrantedAuthority>> roles =
        token -> {
          List<String> names = token.getClaimAsStringList(rolesClaim);
          return new ArrayList<>(Roles.authorities(names == null ? List.of() : names));
        };
    JwtAuthenticationConverter byUsername = new JwtAuthenticationConverter();
    byUsername.setJwtGrantedAuthoritiesConverter(roles);
    byUsername.setPrincipalClaimName(usernameClaim);
    JwtAuthenticationConverter bySubject = new JwtAuthenticationConverter();
    bySubject.setJwtGrantedAuthoritiesConverter(roles);
    return token ->
        token.hasClaim(usernameClaim) ? byUsername.convert(token) : bySubject.convert(token);
  }
}

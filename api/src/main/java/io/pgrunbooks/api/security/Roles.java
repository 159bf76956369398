package io.pgrunbooks.api.security;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The three roles: viewer reads, operator starts runs, approver decides at approval gates. */
public final class Roles {
  static final String VIEWER = "VIEWER";
  static final String OPERATOR = "OPERATOR";
  static final String APPROVER = "APPROVER";
  private static final Set<String> KNOWN = Set.of(VIEWER, OPERATOR, APPROVER);

  private Roles() {}

  /** Whether the caller may approve at a gate (the role alone; the run's own rules come after). */
  public static boolean mayApprove(Authentication who) {
    return who.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + APPROVER));
  }

  /** Spring authorities for role names; unknown names are ignored rather than granted. */
  static List<SimpleGrantedAuthority> authorities(Collection<String> roles) {
    return roles.stream()
        .map(r -> r.trim().toUpperCase(Locale.ROOT))
        .filter(KNOWN::contains)
        .distinct()
        .map(r -> new SimpleGrantedAuthority("ROLE_" + r))
        .toList();
  }
}

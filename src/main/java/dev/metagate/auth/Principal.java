package dev.metagate.auth;

import java.util.Map;
import java.util.Set;

/**
 * A verified caller: its user id, its own organization, and the roles it holds mapped to the
 * organizations each role is granted in.
 */
public record Principal(
    String subject, String orgId, Map<String, Set<String>> rolesByName, long expiresAtSeconds) {
  public Principal {
    rolesByName = Map.copyOf(rolesByName);
  }

  /** True when {@code role} is granted in {@code org}. */
  public boolean hasRoleIn(String role, String org) {
    Set<String> orgs = rolesByName.get(role);
    return orgs != null && orgs.contains(org);
  }

  /** True when any role is granted in {@code org}. */
  public boolean hasAnyGrantIn(String org) {
    return rolesByName.values().stream().anyMatch(orgs -> orgs.contains(org));
  }

  /** True when {@code role} is granted in any organization. */
  public boolean hasRole(String role) {
    Set<String> orgs = rolesByName.get(role);
    return orgs != null && !orgs.isEmpty();
  }
}

package dev.metagate.auth;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads ZITADEL's claims from a verified token payload into a {@link Principal}. */
final class Claims {
  static final String ORG_CLAIM = "urn:zitadel:iam:user:resourceowner:id";
  static final String ROLES_CLAIM = "urn:zitadel:iam:org:project:roles";
  private static final String PROJECT_ROLES_PREFIX = "urn:zitadel:iam:org:project:";
  private static final String PROJECT_ROLES_SUFFIX = ":roles";

  private Claims() {}

  /**
   * The caller of a verified token. Roles come from the token's own project claim and from
   * project-specific claims of the projects in {@code audience}; when no audience is configured,
   * every project's claim counts (the startup log warns about that).
   */
  static Principal principal(JsonObject payload, List<String> audience) {
    Map<String, Set<String>> roles = new HashMap<>();
    for (String name : payload.fieldNames()) {
      if (name.equals(ROLES_CLAIM) || trustedProjectClaim(name, audience)) {
        addRoles(payload.getValue(name), roles);
      }
    }
    return new Principal(
        stringClaim(payload, "sub"),
        stringClaim(payload, ORG_CLAIM),
        roles,
        payload.getValue("exp") instanceof Number n ? n.longValue() : 0);
  }

  /**
   * A {@code urn:zitadel:iam:org:project:<projectId>:roles} claim of a trusted project: anyone can
   * create a project with a role named like an instance role, so only configured projects count.
   */
  private static boolean trustedProjectClaim(String name, List<String> audience) {
    if (name.equals(ROLES_CLAIM)
        || !name.startsWith(PROJECT_ROLES_PREFIX)
        || !name.endsWith(PROJECT_ROLES_SUFFIX)) {
      return false;
    }
    String project =
        name.substring(
            PROJECT_ROLES_PREFIX.length(), name.length() - PROJECT_ROLES_SUFFIX.length());
    return audience.isEmpty() || audience.contains(project);
  }

  /** Adds {@code {"ROLE": {"orgId": "domain"}}} to {@code roles}; other shapes are ignored. */
  private static void addRoles(Object claim, Map<String, Set<String>> roles) {
    if (!(claim instanceof JsonObject byRole)) {
      return;
    }
    for (String role : byRole.fieldNames()) {
      if (byRole.getValue(role) instanceof JsonObject byOrg) {
        roles.computeIfAbsent(role, r -> new HashSet<>()).addAll(byOrg.fieldNames());
      }
    }
  }

  private static String stringClaim(JsonObject payload, String name) {
    return payload.getValue(name) instanceof String s ? s : "";
  }
}

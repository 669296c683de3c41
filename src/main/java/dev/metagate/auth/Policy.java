package dev.metagate.auth;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import java.util.List;

/**
 * Who may read or write whose metadata: a role granted in the target organization, an instance-wide
 * role, or (self-service) the user acting on itself. Fails closed.
 */
public final class Policy {
  /** What a request does to metadata. */
  public enum Action {
    READ,
    WRITE
  }

  private final List<String> readRoles;
  private final List<String> writeRoles;
  private final List<String> instanceRoles;
  private final boolean selfService;

  public Policy(
      List<String> readRoles,
      List<String> writeRoles,
      List<String> instanceRoles,
      boolean selfService) {
    this.readRoles = List.copyOf(readRoles);
    this.writeRoles = List.copyOf(writeRoles);
    this.instanceRoles = List.copyOf(instanceRoles);
    this.selfService = selfService;
  }

  /**
   * Returns normally when {@code caller} may do {@code action} on user {@code userId} of {@code
   * org}; otherwise throws PERMISSION_DENIED (with AUTH-Bs7Ds when the caller has nothing at all in
   * that organization).
   */
  public void check(Principal caller, Action action, String org, String userId) {
    if (instanceRoles.stream().anyMatch(caller::hasRole)) {
      return;
    }
    List<String> roles = action == Action.READ ? readRoles : writeRoles;
    if (roles.stream().anyMatch(r -> caller.hasRoleIn(r, org))) {
      return;
    }
    boolean ownOrg = org.equals(caller.orgId());
    if (selfService && ownOrg && userId.equals(caller.subject())) {
      return;
    }
    if (!ownOrg && !caller.hasAnyGrantIn(org)) {
      throw MetagateException.withId(
          Code.PERMISSION_DENIED, "AUTH-Bs7Ds", "No matching permissions found");
    }
    throw MetagateException.of(Code.PERMISSION_DENIED, "No matching permissions found");
  }
}

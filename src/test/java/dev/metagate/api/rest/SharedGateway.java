package dev.metagate.api.rest;

import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.WithGateway;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One issuer and one gateway with default settings, shared by all tests of every subclass (and the
 * gRPC tests); each test works on users of its own ({@link #newUser()}), so tests do not see each
 * other's data.
 */
@ExtendWith(Invariants.class)
@WithGateway(shared = true)
abstract class SharedGateway {
  static final String ORG = "org-1";
  private static final AtomicInteger USERS = new AtomicInteger();

  static TestIssuer issuer;
  static TestGateway gw;

  /** An ORG_OWNER of {@link #ORG}: may read and write every user of it. */
  static V1 owner;

  @BeforeAll
  static void owner() {
    owner = v1(issuer.token("owner-1", ORG, "ORG_OWNER"));
  }

  static V1 v1(String token) {
    return new V1(gw.http(), token);
  }

  /** A user id no other test uses. */
  static String newUser() {
    return "user-" + USERS.incrementAndGet();
  }
}

package dev.metagate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A started {@link TestIssuer} and {@link TestGateway} for the tests of a class, put into its
 * static fields of those types before the first test and closed after the last. Replaces the
 * {@code @BeforeAll}/{@code @AfterAll} pair that starts and stops them by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
@ExtendWith(GatewayExtension.class)
public @interface WithGateway {
  /**
   * Environment overrides, each {@code KEY=VALUE}, e.g. {@code "METAGATE_HTTP_MAX_IN_FLIGHT=1"}.
   */
  String[] env() default {};

  /**
   * One issuer and gateway (per distinct {@link #env}) for every class that asks for it, closed at
   * the end of the run. Only for tests that need no isolation: each works on users of its own and
   * none reads global state (metrics, health, logs of other requests) or stops the gateway.
   */
  boolean shared() default false;
}

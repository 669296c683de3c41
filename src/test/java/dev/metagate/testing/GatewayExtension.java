package dev.metagate.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs {@link WithGateway}: starts the issuer and gateway (or finds the shared pair), fills the
 * test class's static {@code TestIssuer} and {@code TestGateway} fields, and leaves the closing to
 * JUnit's store (the class's, or the root's for a shared pair).
 */
final class GatewayExtension implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(GatewayExtension.class);

  @Override
  public void beforeAll(ExtensionContext ctx) throws IllegalAccessException {
    Class<?> testClass = ctx.getRequiredTestClass();
    WithGateway spec = AnnotationSupport.findAnnotation(testClass, WithGateway.class).orElseThrow();
    Map<String, String> env = env(spec);
    Servers servers =
        spec.shared()
            ? ctx.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent("shared " + env, k -> Servers.start(env), Servers.class)
            : ctx.getStore(NS).getOrComputeIfAbsent("own", k -> Servers.start(env), Servers.class);
    inject(testClass, servers);
  }

  private static Map<String, String> env(WithGateway spec) {
    Map<String, String> env = new TreeMap<>();
    for (String kv : spec.env()) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("@WithGateway env wants KEY=VALUE, got " + kv);
      }
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return env;
  }

  private static void inject(Class<?> testClass, Servers servers) throws IllegalAccessException {
    for (Class<?> c = testClass; c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
          continue;
        }
        if (f.getType() == TestIssuer.class) {
          f.setAccessible(true);
          f.set(null, servers.issuer());
        } else if (f.getType() == TestGateway.class) {
          f.setAccessible(true);
          f.set(null, servers.gateway());
        }
      }
    }
  }

  /** An issuer and the gateway that trusts it; JUnit closes it with the store that holds it. */
  private record Servers(TestIssuer issuer, TestGateway gateway)
      implements ExtensionContext.Store.CloseableResource {
    static Servers start(Map<String, String> env) {
      TestIssuer issuer = TestIssuer.start();
      try {
        return new Servers(issuer, TestGateway.start(issuer, env));
      } catch (RuntimeException e) {
        issuer.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        gateway.close();
      } finally {
        issuer.close();
      }
    }
  }
}

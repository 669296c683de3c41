import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Properties;

/**
 * The SQLite baseline: one thread upserting rows with metagate's schema and pragmas (WAL,
 * synchronous=FULL), ROWS_PER_TX upserts per transaction, for SECONDS; prints rows/s.
 * Run: java -cp target/metagate.jar bench/src/JdbcGroupCommit.java DIR SECONDS [ROWS_PER_TX]
 */
public class JdbcGroupCommit {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int perTx = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Files.createDirectories(dir);
    Path file = dir.resolve("jdbc-baseline.db");
    Files.deleteIfExists(file);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, noGeneratedKeys())) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = FULL");
        st.execute("PRAGMA cache_size = -32768"); // metagate's writer: Connections.WRITER_CACHE_KIB
        st.execute(
            "CREATE TABLE metadata (org_id TEXT NOT NULL, user_id TEXT NOT NULL, key TEXT NOT NULL,"
                + " value BLOB NOT NULL, sequence INTEGER NOT NULL, creation_micros INTEGER NOT NULL,"
                + " change_micros INTEGER NOT NULL, PRIMARY KEY (org_id, user_id, key))");
      }
      c.setAutoCommit(false);
      PreparedStatement up =
          c.prepareStatement(
              "INSERT INTO metadata (org_id, user_id, key, value, sequence, creation_micros,"
                  + " change_micros) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, user_id, key)"
                  + " DO UPDATE SET value = excluded.value, sequence = excluded.sequence,"
                  + " change_micros = excluded.change_micros");
      byte[] value = "benchmark-value-0123456789".getBytes();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long rows = 0;
      long start = System.nanoTime();
      while (System.nanoTime() < end) {
        for (int i = 0; i < perTx; i++) {
          long n = rows + i;
          up.setString(1, "bench-org");
          up.setString(2, "u" + (n / 10 % 100_000));
          up.setString(3, "k" + (n % 10));
          up.setBytes(4, value);
          up.setLong(5, n);
          up.setLong(6, n);
          up.setLong(7, n);
          up.executeUpdate();
        }
        c.commit();
        rows += perTx;
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("rows_per_sec %.0f%n", rows / secs);
    }
  }

  /** The same driver setting as metagate's connections: no last_insert_rowid() after updates. */
  static Properties noGeneratedKeys() {
    Properties p = new Properties();
    p.setProperty("jdbc.get_generated_keys", "false");
    return p;
  }
}

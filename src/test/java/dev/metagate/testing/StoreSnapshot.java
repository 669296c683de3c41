package dev.metagate.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The full contents of a gateway's SQLite tables, read through a separate read-only connection, as
 * comparable text: one line per row, every column, BLOBs as hex. Two snapshots are equal exactly
 * when the stored data is byte-identical.
 */
public record StoreSnapshot(List<String> users, List<String> metadata) {

  /** Reads {@code users} and {@code metadata} of the database file at {@code db}. */
  public static StoreSnapshot of(Path db) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties())) {
      return new StoreSnapshot(
          rows(c, "SELECT * FROM users ORDER BY org_id, user_id"),
          rows(c, "SELECT * FROM metadata ORDER BY org_id, user_id, key"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + db, e);
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.append(i > 1 ? " | " : "").append(md.getColumnName(i)).append('=');
          row.append(v instanceof byte[] b ? "x'" + HexFormat.of().formatHex(b) + "'" : v);
        }
        out.add(row.toString());
      }
    }
    return out;
  }
}

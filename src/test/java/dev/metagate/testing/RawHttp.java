package dev.metagate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a well-behaved client refuses to send: a
 * request-target that is not a valid URI ({@code %zz}), raw non-ASCII bytes in the path, or a
 * chunked body. One request per connection ({@code Connection: close}).
 */
public final class RawHttp {
  private static final int TIMEOUT_MS = 30_000;

  private RawHttp() {}

  /**
   * Sends {@code method target} with {@code headers} (name, value, name, value, ...) and {@code
   * body}, chunked when {@code chunked} is true, else with a Content-Length.
   */
  public static Http.Response send(
      int port, String method, byte[] target, List<String> headers, byte[] body, boolean chunked) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(TIMEOUT_MS);
      try {
        writeRequest(s.getOutputStream(), method, target, headers, body, chunked);
      } catch (IOException e) {
        // the server may answer (413) and close before reading everything; read that answer
      }
      return parse(s.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(method + " raw request failed", e);
    }
  }

  private static void writeRequest(
      OutputStream out,
      String method,
      byte[] target,
      List<String> headers,
      byte[] body,
      boolean chunked)
      throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
    head.writeBytes(target);
    StringBuilder h = new StringBuilder(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (int i = 0; i < headers.size(); i += 2) {
      h.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
    }
    byte[] payload = body == null ? new byte[0] : body;
    h.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + payload.length);
    h.append("\r\n\r\n");
    head.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
    out.write(head.toByteArray());
    if (chunked) {
      writeChunks(out, payload);
    } else {
      out.write(payload);
    }
    out.flush();
  }

  private static void writeChunks(OutputStream out, byte[] payload) throws IOException {
    int chunk = 8192;
    for (int off = 0; off < payload.length; off += chunk) {
      int n = Math.min(chunk, payload.length - off);
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(payload, off, n);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static Http.Response parse(byte[] raw) throws IOException {
    String all = new String(raw, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response head: " + all);
    }
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      headers
          .computeIfAbsent(name, k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
      body = dechunk(body);
    }
    return new Http.Response(
        status, new String(body, StandardCharsets.UTF_8), HttpHeaders.of(headers, (a, b) -> true));
  }

  private static byte[] dechunk(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(body);
    while (true) {
      StringBuilder size = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("truncated chunked body");
        }
        if (c != '\r') {
          size.append((char) c);
        }
      }
      int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.writeBytes(in.readNBytes(n));
      in.skip(2);
    }
  }
}

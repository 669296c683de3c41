package dev.metagate.api.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gRPC-web client made of a plain HTTP/1.1 client and the framing of the gRPC-web spec: a request
 * is one length-prefixed message frame, a response is message frames then one trailers frame (flag
 * 0x80) holding {@code grpc-status} and {@code grpc-message}; the text variant base64-encodes the
 * same bytes.
 */
final class GrpcWeb {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One answer: HTTP status and version, the message bytes (null if none) and the trailers. */
  record Answer(
      int httpStatus, HttpClient.Version version, byte[] message, Map<String, String> trailers) {
    int grpcStatus() {
      return Integer.parseInt(trailers.get("grpc-status"));
    }

    String grpcMessage() {
      String m = trailers.get("grpc-message");
      return m == null
          ? null
          : java.net.URLDecoder.decode(m.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    <T extends Message> T as(Parser<T> parser) throws InvalidProtocolBufferException {
      return parser.parseFrom(message);
    }
  }

  private GrpcWeb() {}

  static Answer call(int port, String fullMethod, Message request, String token, boolean text) {
    byte[] body = frame(0, request.toByteArray());
    if (text) {
      body = Base64.getEncoder().encode(body);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + fullMethod))
            .timeout(Duration.ofSeconds(30))
            .header(
                "content-type", text ? "application/grpc-web-text" : "application/grpc-web+proto")
            .header("x-grpc-web", "1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] raw = r.body();
      if (text) {
        raw = decodeTextChunks(raw);
      }
      return parse(r.statusCode(), r.version(), raw, r.headers().map());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static byte[] frame(int flags, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length)
        .put((byte) flags)
        .putInt(payload.length)
        .put(payload)
        .array();
  }

  /** The text variant may send each frame as its own padded base64 run; decode run by run. */
  private static byte[] decodeTextChunks(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String s = new String(raw, StandardCharsets.US_ASCII);
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '=' && (i + 1 == s.length() || s.charAt(i + 1) != '=')) {
        out.writeBytes(Base64.getDecoder().decode(s.substring(start, i + 1)));
        start = i + 1;
      }
    }
    if (start < s.length()) {
      out.writeBytes(Base64.getDecoder().decode(s.substring(start)));
    }
    return out.toByteArray();
  }

  private static Answer parse(
      int status,
      HttpClient.Version version,
      byte[] raw,
      Map<String, java.util.List<String>> headers) {
    ByteBuffer buf = ByteBuffer.wrap(raw);
    byte[] message = null;
    Map<String, String> trailers = new LinkedHashMap<>();
    // a trailers-only answer carries grpc-status in the HTTP headers instead of a trailers frame
    headers.forEach(
        (k, v) -> {
          if (k.startsWith("grpc-")) {
            trailers.put(k, v.get(0));
          }
        });
    while (buf.remaining() >= 5) {
      int flags = buf.get() & 0xFF;
      byte[] payload = new byte[buf.getInt()];
      buf.get(payload);
      if ((flags & 0x80) != 0) {
        for (String line : new String(payload, StandardCharsets.UTF_8).split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            trailers.put(
                line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
          }
        }
      } else {
        message = payload;
      }
    }
    return new Answer(status, version, message, trailers);
  }
}

package dev.metagate.upstream;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ZITADEL service-user key, as the console downloads it: {@code {"type":"serviceaccount",
 * "keyId", "key", "userId"}} where {@code key} is an RSA private key in PEM (PKCS#1 {@code RSA
 * PRIVATE KEY}, as ZITADEL issues it, or PKCS#8 {@code PRIVATE KEY}). The key is held as PKCS#8
 * PEM, the form vertx-auth-jwt signs with; it is never printed.
 */
public record ServiceKey(String userId, String keyId, String pkcs8Pem) {
  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1?PRIVATE KEY-----");

  /** Reads and checks {@code file}; the message of a failure never quotes the key. */
  public static ServiceKey read(Path file) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(
          file + " is not a JSON key file of a ZITADEL service user");
    }
    if (!"serviceaccount".equals(json.getValue("type"))) {
      throw new IllegalArgumentException(
          file + " is not a service-user key (\"type\" must be \"serviceaccount\")");
    }
    String userId = text(json, "userId", file);
    String keyId = text(json, "keyId", file);
    return new ServiceKey(userId, keyId, pkcs8(text(json, "key", file), file));
  }

  private static String text(JsonObject json, String field, Path file) {
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(file + " has no \"" + field + "\"");
    }
    return s;
  }

  private static String pkcs8(String pem, Path file) {
    Matcher m = PEM.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException(
          file + ": \"key\" is not a PEM RSA private key (RSA PRIVATE KEY or PRIVATE KEY)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": \"key\" is not valid base64 PEM");
    }
    byte[] p8 = m.group(1) != null ? wrapPkcs1(der) : der;
    try {
      KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(p8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": \"key\" is not a usable RSA private key");
    }
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(p8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * PKCS#8 around a PKCS#1 RSA key: SEQUENCE { INTEGER 0, SEQUENCE { rsaEncryption, NULL }, OCTET
   * STRING { the PKCS#1 key } } (RFC 5208, RFC 8017 A.1).
   */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] algorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(version);
    body.writeBytes(algorithm);
    body.writeBytes(tlv(0x04, pkcs1));
    return tlv(0x30, body.toByteArray());
  }

  /** One DER element: tag, definite length, value. */
  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  /** Never shows the key: records print themselves into logs too easily. */
  @Override
  public String toString() {
    return "ServiceKey[userId=" + userId + ", keyId=" + keyId + "]";
  }
}

package dev.metagate.api.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One named malformed request of the bad-input corpus and the error it must get: HTTP status, gRPC
 * code, ZITADEL error id (or none) and, for field errors, a word the message must contain.
 */
record BadRequest(
    String name,
    String method,
    String target,
    boolean raw,
    List<String> headers,
    byte[] body,
    boolean chunked,
    Caller caller,
    boolean tightGateway,
    int status,
    int code,
    String errorId,
    String messageContains) {

  /** Who sends the request. */
  enum Caller {
    /** ORG_OWNER of org1, allowed to read and write every user there. */
    ADMIN,
    /** A user of org1 without roles: may touch only its own metadata. */
    PLAIN_USER,
    /** No Authorization header (a case may still set one by hand). */
    NONE
  }

  @Override
  public String toString() {
    return name;
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  /** Collects one case; {@link #expect} ends it. */
  static final class Builder {
    private final String name;
    private String method = "POST";
    private String target;
    private boolean raw;
    private final List<String> headers = new ArrayList<>();
    private byte[] body;
    private boolean chunked;
    private Caller caller = Caller.ADMIN;
    private boolean tight;
    private String messageContains;

    private Builder(String name) {
      this.name = name;
    }

    Builder call(String method, String target) {
      this.method = method;
      this.target = target;
      return this;
    }

    Builder post(String target) {
      return call("POST", target);
    }

    Builder get(String target) {
      return call("GET", target);
    }

    Builder delete(String target) {
      return call("DELETE", target);
    }

    /**
     * Sends the target over a plain socket, each char as one byte (ISO-8859-1), for targets that
     * are not valid URIs.
     */
    Builder raw() {
      this.raw = true;
      return this;
    }

    Builder chunked() {
      this.chunked = true;
      return raw();
    }

    Builder json(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8)).header("content-type", "application/json");
    }

    Builder body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    Builder header(String name, String value) {
      headers.add(name);
      headers.add(value);
      return this;
    }

    Builder as(Caller caller) {
      this.caller = caller;
      return this;
    }

    /** Sends to the gateway whose body limit is 64 KiB. */
    Builder tight() {
      this.tight = true;
      return this;
    }

    Builder mentioning(String word) {
      this.messageContains = word;
      return this;
    }

    BadRequest expect(int status, int code) {
      return expect(status, code, null);
    }

    BadRequest expect(int status, int code, String errorId) {
      return new BadRequest(
          name,
          method,
          target,
          raw,
          List.copyOf(headers),
          body,
          chunked,
          caller,
          tight,
          status,
          code,
          errorId,
          messageContains);
    }
  }
}

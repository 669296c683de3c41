package dev.metagate.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** What ZITADEL answered, untouched: status, headers and body (success or error alike). */
public record UpstreamReply(int status, MultiMap headers, Buffer body) {
  public boolean ok() {
    return status >= 200 && status < 300;
  }
}

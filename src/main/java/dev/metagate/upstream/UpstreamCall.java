package dev.metagate.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One request to send to ZITADEL: the operation name (for metrics), method, path and query relative
 * to the upstream base URL, headers, body, and whether it writes (a write is never retried once it
 * may have reached ZITADEL).
 */
public record UpstreamCall(
    String operation,
    HttpMethod method,
    String uri,
    MultiMap headers,
    Buffer body,
    boolean write) {}

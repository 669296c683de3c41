package dev.metagate.api.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every REST route the API port serves, in one list: what the OpenAPI document ({@code
 * openapi.yaml}) must describe, and what a test checks it against, both ways.
 */
public final class RestRoutes {
  /** One route: HTTP method, OpenAPI path template, and the operation name in the metrics. */
  public record Route(String method, String path, String operation) {}

  public static final List<Route> ALL =
      List.of(
          new Route("POST", v1("/_bulk"), "BulkSetUserMetadata"),
          new Route("POST", v1("/{key}"), "SetUserMetadata"),
          new Route("GET", v1("/{key}"), "GetUserMetadata"),
          new Route("POST", v1("/_search"), "ListUserMetadata"),
          new Route("DELETE", v1("/{key}"), "RemoveUserMetadata"),
          new Route("DELETE", v1("/_bulk"), "BulkRemoveUserMetadata"),
          new Route("POST", V2Routes.PREFIX + "{userId}/metadata", V2Routes.SET),
          new Route("POST", V2Routes.PREFIX + "{userId}/metadata/search", V2Routes.LIST),
          new Route("DELETE", V2Routes.PREFIX + "{userId}/metadata", V2Routes.DELETE));

  /** Where the OpenAPI document lives on the class path. */
  public static final String OPENAPI_RESOURCE = "/openapi.yaml";

  private RestRoutes() {}

  private static String v1(String last) {
    return MetadataRoutes.PREFIX + "{userId}/metadata" + last;
  }

  /** The OpenAPI document; reads the class path, so call it at startup, off the event loop. */
  public static String openApiDocument() {
    try (InputStream in = RestRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

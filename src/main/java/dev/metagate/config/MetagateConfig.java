package dev.metagate.config;

import dev.metagate.config.Sections.Admin;
import dev.metagate.config.Sections.Auth;
import dev.metagate.config.Sections.Batch;
import dev.metagate.config.Sections.Cache;
import dev.metagate.config.Sections.Http;
import dev.metagate.config.Sections.Log;
import dev.metagate.config.Sections.Shutdown;
import dev.metagate.config.Sections.Store;
import dev.metagate.config.Sections.Upstream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The whole validated configuration; built once at start by {@link ConfigLoader}. */
public record MetagateConfig(
    String mode,
    Http http,
    Admin admin,
    Auth auth,
    Store store,
    Cache cache,
    Batch batch,
    Upstream upstream,
    Shutdown shutdown,
    Log log,
    Map<String, String> effective) {
  public MetagateConfig {
    effective = Collections.unmodifiableMap(new LinkedHashMap<>(effective));
    if (mode.equals("upstream")) {
      checkUpstream(upstream);
    }
    if (auth.issuer() == null && !auth.devIssuer() && verifiesTokens(mode, upstream)) {
      throw new ConfigException(
          "invalid configuration: auth.issuer is required unless auth.devIssuer is true");
    }
    if (auth.devIssuer() && !auth.devIssuerAnyHost() && !isLoopback(http.host())) {
      throw new ConfigException(
          "invalid configuration: auth.devIssuer = 'true' with http.host = '"
              + http.host()
              + "': the dev issuer is only allowed on a loopback address"
              + " (set auth.devIssuerAnyHost to override)");
    }
  }

  public boolean localMode() {
    return mode.equals("local");
  }

  /**
   * True when metagate verifies callers' tokens itself: always in local mode, and in upstream mode
   * with token credentials (with passthrough credentials ZITADEL does).
   */
  public boolean verifiesTokens() {
    return verifiesTokens(mode, upstream);
  }

  private static boolean verifiesTokens(String mode, Upstream upstream) {
    return mode.equals("local") || upstream.tokenCredentials();
  }

  private static void checkUpstream(Upstream upstream) {
    if (upstream.url() == null) {
      throw new ConfigException(
          "invalid configuration: upstream.url is required when mode = 'upstream'");
    }
    boolean own = upstream.token() != null || upstream.keyFile() != null;
    if (upstream.token() != null && upstream.keyFile() != null) {
      throw new ConfigException(
          "invalid configuration: set one of upstream.token (a personal access token) and"
              + " upstream.keyFile (a service-user key file), not both");
    }
    if (upstream.tokenCredentials() && !own) {
      throw new ConfigException(
          "invalid configuration: upstream.credentials = 'token' needs metagate's own credential:"
              + " upstream.token (a personal access token) or upstream.keyFile (a service-user key"
              + " file)");
    }
    if (upstream.eventsEnabled() && !own) {
      throw new ConfigException(
          "invalid configuration: upstream.events.enabled = true needs upstream.token or"
              + " upstream.keyFile: ZITADEL's event search is called with metagate's own credential"
              + " (IAM_OWNER_VIEWER), also when upstream.credentials = 'passthrough'");
    }
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

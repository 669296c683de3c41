package dev.metagate.api.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bad-input corpus: requests that api.md says must be rejected, grouped by what is wrong with
 * them ({@link BadJsonCases}, {@link BadFieldCases}, {@link BadProtocolCases}). Every case targets
 * user {@value #USER} of org1, whose data is seeded before the corpus runs and must be unchanged
 * after each case.
 */
final class BadInputCorpus {
  static final String USER = "alice";
  static final String BASE = "/management/v1/users/" + USER + "/metadata/";
  static final String BULK = BASE + "_bulk";
  static final String SEARCH = BASE + "_search";
  static final String K1 = BASE + "k1";

  /** A value different from anything seeded, so an accidental write would show. */
  static final String NEW = b64("new value");

  static final int BAD_REQUEST = 400;
  static final int INVALID = 3;
  static final int PRECONDITION = 9;

  private BadInputCorpus() {}

  static Stream<BadRequest> all() {
    return Stream.of(
            BadJsonCases.brokenJson(),
            BadJsonCases.wrongTypes(),
            BadJsonCases.badPaging(),
            BadJsonCases.badEnums(),
            BadJsonCases.badBase64(),
            BadFieldCases.limits(),
            BadFieldCases.emptiness(),
            BadFieldCases.unstorableKeys(),
            BadFieldCases.missing(),
            BadFieldCases.bulky(),
            BadProtocolCases.badPaths(),
            BadProtocolCases.wrongMethods(),
            BadProtocolCases.auth(),
            BadProtocolCases.oversized())
        .flatMap(List::stream);
  }

  static String value(String base64) {
    return "{\"value\":\"" + base64 + "\"}";
  }

  static String entry(String key, String base64) {
    return "{\"key\":\"" + key + "\",\"value\":\"" + base64 + "\"}";
  }

  static String entries(String... entries) {
    return "{\"metadata\":[" + String.join(",", entries) + "]}";
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(utf8(text));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

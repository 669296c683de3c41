package dev.metagate.api.rest;

import static dev.metagate.api.rest.BadInputCorpus.BAD_REQUEST;
import static dev.metagate.api.rest.BadInputCorpus.BASE;
import static dev.metagate.api.rest.BadInputCorpus.BULK;
import static dev.metagate.api.rest.BadInputCorpus.INVALID;
import static dev.metagate.api.rest.BadInputCorpus.K1;
import static dev.metagate.api.rest.BadInputCorpus.NEW;
import static dev.metagate.api.rest.BadInputCorpus.PRECONDITION;
import static dev.metagate.api.rest.BadInputCorpus.SEARCH;
import static dev.metagate.api.rest.BadInputCorpus.entries;
import static dev.metagate.api.rest.BadInputCorpus.entry;
import static dev.metagate.api.rest.BadInputCorpus.value;
import static dev.metagate.api.rest.BadRequest.named;

import java.util.Base64;
import java.util.List;

/**
 * Corpus cases with well-formed JSON whose fields break a rule: sizes, emptiness, unstorable keys,
 * missing keys, sheer volume.
 */
final class BadFieldCases {
  private BadFieldCases() {}

  static List<BadRequest> limits() {
    String key201 = "k".repeat(201);
    String emoji201 = "\uD83D\uDE00".repeat(201);
    return List.of(
        named("set_key201Chars")
            .post(BASE + key201)
            .json(value(NEW))
            .mentioning("Key")
            .expect(BAD_REQUEST, INVALID),
        named("set_key201EmojiCodePoints")
            .post(BASE + UrlPath.encode(emoji201))
            .json(value(NEW))
            .mentioning("Key")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_key201Chars")
            .post(BULK)
            .json(entries(entry("k1", NEW), entry(key201, NEW)))
            .mentioning("Key")
            .expect(BAD_REQUEST, INVALID),
        named("set_value500001Bytes")
            .post(K1)
            .json(value(Base64.getEncoder().encodeToString(new byte[500_001])))
            .mentioning("Value")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_value500001BytesUrlSafeUnpadded")
            .post(BULK)
            .json(
                entries(
                    entry("k1", NEW),
                    entry(
                        "k3",
                        Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[500_001]))))
            .mentioning("Value")
            .expect(BAD_REQUEST, INVALID),
        named("set_userId201Chars")
            .post("/management/v1/users/" + "u".repeat(201) + "/metadata/k1")
            .json(value(NEW))
            .mentioning("Id")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_userId201Chars")
            .post("/management/v1/users/" + "u".repeat(201) + "/metadata/_bulk")
            .json(entries(entry("k1", NEW)))
            .mentioning("Id")
            .expect(BAD_REQUEST, INVALID),
        named("get_key201Chars").get(BASE + key201).mentioning("Key").expect(BAD_REQUEST, INVALID),
        named("remove_key201Chars")
            .delete(BASE + key201)
            .mentioning("Key")
            .expect(BAD_REQUEST, INVALID),
        named("bulkRemove_key201Chars")
            .delete(BULK)
            .json("{\"keys\":[\"k1\",\"" + key201 + "\"]}")
            .mentioning("Key")
            .expect(BAD_REQUEST, INVALID),
        named("search_queryKey201Chars")
            .post(SEARCH)
            .json("{\"queries\":[{\"keyQuery\":{\"key\":\"" + key201 + "\"}}]}")
            .mentioning("Key")
            .expect(BAD_REQUEST, INVALID));
  }

  static List<BadRequest> emptiness() {
    return List.of(
        named("set_emptyValue").post(K1).json(value("")).expect(BAD_REQUEST, INVALID),
        named("set_nullValue").post(K1).json("{\"value\":null}").expect(BAD_REQUEST, INVALID),
        named("set_emptyBody").post(K1).expect(BAD_REQUEST, INVALID),
        named("set_emptyKey").post(BASE).json(value(NEW)).expect(BAD_REQUEST, INVALID),
        named("get_emptyKey").get(BASE).expect(BAD_REQUEST, INVALID),
        named("set_emptyUserId")
            .post("/management/v1/users//metadata/k1")
            .json(value(NEW))
            .expect(BAD_REQUEST, INVALID),
        named("bulk_emptyKey")
            .post(BULK)
            .json(entries(entry("k1", NEW), entry("", NEW)))
            .expect(BAD_REQUEST, INVALID),
        named("bulk_nullKey")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":null,\"value\":\"" + NEW + "\"}]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_emptyValue")
            .post(BULK)
            .json(entries(entry("k1", NEW), entry("k2", "")))
            .expect(BAD_REQUEST, INVALID),
        named("bulk_emptyList")
            .post(BULK)
            .json("{\"metadata\":[]}")
            .expect(BAD_REQUEST, PRECONDITION, "META-9mm2d"),
        named("bulk_missingList")
            .post(BULK)
            .json("{\"other\":1}")
            .expect(BAD_REQUEST, PRECONDITION, "META-9mm2d"),
        named("bulk_nullList")
            .post(BULK)
            .json("{\"metadata\":null}")
            .expect(BAD_REQUEST, PRECONDITION, "META-9mm2d"),
        named("bulk_emptyBody").post(BULK).expect(BAD_REQUEST, PRECONDITION, "META-9mm2d"),
        named("bulkRemove_emptyList")
            .delete(BULK)
            .json("{\"keys\":[]}")
            .expect(BAD_REQUEST, PRECONDITION, "META-9mm2d"),
        named("bulkRemove_emptyBody").delete(BULK).expect(BAD_REQUEST, PRECONDITION, "META-9mm2d"),
        named("bulkRemove_emptyKeyAmongExisting")
            .delete(BULK)
            .json("{\"keys\":[\"k1\",\"\"]}")
            .expect(BAD_REQUEST, INVALID));
  }

  static List<BadRequest> unstorableKeys() {
    return List.of(
        named("bulk_keyWithNul")
            .post(BULK)
            .json(entries(entry("k1", NEW), entry("a\\u0000b", NEW)))
            .expect(BAD_REQUEST, INVALID, "META-2m00f"),
        named("bulk_keyWithLoneHighSurrogate")
            .post(BULK)
            .json(entries(entry("k1", NEW), entry("a\\ud800b", NEW)))
            .expect(BAD_REQUEST, INVALID, "META-2m00f"),
        named("bulk_keyWithLoneLowSurrogate")
            .post(BULK)
            .json(entries(entry("\\udc00", NEW)))
            .expect(BAD_REQUEST, INVALID, "META-2m00f"),
        named("bulk_keyEndingInHighSurrogate")
            .post(BULK)
            .json(entries(entry("k\\ud83d", NEW)))
            .expect(BAD_REQUEST, INVALID, "META-2m00f"),
        named("set_keyWithNulInPath")
            .post(BASE + "a%00b")
            .json(value(NEW))
            .expect(BAD_REQUEST, INVALID, "META-2m00f"));
  }

  static List<BadRequest> missing() {
    return List.of(
        named("remove_missingKey").delete(BASE + "nope").expect(404, 5, "META-ncnw3"),
        named("bulkRemove_oneKeyMissing")
            .delete(BULK)
            .json("{\"keys\":[\"k1\",\"k2\",\"nope\"]}")
            .expect(404, 5, "META-2nnds"),
        named("get_missingKey").get(BASE + "nope").expect(404, 5, "QUERY-Rgh32"),
        named("get_userOfAnotherOrg")
            .get("/management/v1/users/carol/metadata/c")
            .expect(404, 5, "QUERY-Rgh32"),
        named("remove_keyOfUserInAnotherOrg")
            .delete("/management/v1/users/carol/metadata/c")
            .expect(404, 5, "META-ncnw3"));
  }

  static List<BadRequest> bulky() {
    return List.of(
        named("bulk_50000Entries_lastKeyTooLong")
            .post(BULK)
            .json(manyEntries(50_000, "x".repeat(201)))
            .mentioning("Metadata[49999]")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_50000Entries_lastKeyNul")
            .post(BULK)
            .json(manyEntries(50_000, "\\u0000"))
            .expect(BAD_REQUEST, INVALID, "META-2m00f"),
        named("bulkRemove_20000Keys_lastMissing")
            .delete(BULK)
            .json(manyKeys(20_000))
            .expect(404, 5, "META-2nnds"),
        named("bulk_nestedArrays100000Deep")
            .post(BULK)
            .json("{\"metadata\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
            .expect(BAD_REQUEST, INVALID),
        named("set_valueNestedObjects5000Deep")
            .post(K1)
            .json("{\"value\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}")
            .expect(BAD_REQUEST, INVALID),
        named("search_unclosedNesting")
            .post(SEARCH)
            .json("{\"query\":" + "[".repeat(50_000))
            .expect(BAD_REQUEST, INVALID));
  }

  /** Entries where all but the last are valid new keys; the last has key {@code lastKey}. */
  private static String manyEntries(int n, String lastKey) {
    StringBuilder sb = new StringBuilder("{\"metadata\":[");
    for (int i = 0; i < n - 1; i++) {
      sb.append(entry("n" + i, NEW)).append(',');
    }
    return sb.append(entry(lastKey, NEW)).append("]}").toString();
  }

  /** The two seeded keys, then {@code n - 2} keys that do not exist. */
  private static String manyKeys(int n) {
    StringBuilder sb = new StringBuilder("{\"keys\":[\"k1\",\"k2\"");
    for (int i = 2; i < n; i++) {
      sb.append(",\"missing").append(i).append('"');
    }
    return sb.append("]}").toString();
  }
}

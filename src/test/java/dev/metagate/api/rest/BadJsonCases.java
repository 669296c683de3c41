package dev.metagate.api.rest;

import static dev.metagate.api.rest.BadInputCorpus.BAD_REQUEST;
import static dev.metagate.api.rest.BadInputCorpus.BULK;
import static dev.metagate.api.rest.BadInputCorpus.INVALID;
import static dev.metagate.api.rest.BadInputCorpus.K1;
import static dev.metagate.api.rest.BadInputCorpus.NEW;
import static dev.metagate.api.rest.BadInputCorpus.SEARCH;
import static dev.metagate.api.rest.BadInputCorpus.entries;
import static dev.metagate.api.rest.BadInputCorpus.entry;
import static dev.metagate.api.rest.BadInputCorpus.utf8;
import static dev.metagate.api.rest.BadInputCorpus.value;
import static dev.metagate.api.rest.BadRequest.named;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Corpus cases whose body is not the JSON the endpoint expects: syntax, types, enums, paging,
 * base64.
 */
final class BadJsonCases {
  private BadJsonCases() {}

  static List<BadRequest> brokenJson() {
    return List.of(
        named("bulk_truncatedJson")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":\"k1\",\"value\":\"" + NEW + "\"}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_trailingGarbage")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":\"k1\",\"value\":\"" + NEW + "\"}]} xyz")
            .expect(BAD_REQUEST, INVALID),
        named("set_twoObjects").post(K1).json(value(NEW) + "{}").expect(BAD_REQUEST, INVALID),
        named("set_topLevelString").post(K1).json("\"" + NEW + "\"").expect(BAD_REQUEST, INVALID),
        named("set_topLevelNumber").post(K1).json("42").expect(BAD_REQUEST, INVALID),
        named("bulk_topLevelArray")
            .post(BULK)
            .json("[{\"key\":\"k1\",\"value\":\"" + NEW + "\"}]")
            .expect(BAD_REQUEST, INVALID),
        named("set_topLevelNull").post(K1).json("null").expect(BAD_REQUEST, INVALID),
        named("set_singleQuotes")
            .post(K1)
            .json("{'value':'" + NEW + "'}")
            .expect(BAD_REQUEST, INVALID),
        named("set_unquotedName")
            .post(K1)
            .json("{value:\"" + NEW + "\"}")
            .expect(BAD_REQUEST, INVALID),
        named("set_trailingComma")
            .post(K1)
            .json("{\"value\":\"" + NEW + "\",}")
            .expect(BAD_REQUEST, INVALID),
        named("set_comment")
            .post(K1)
            .json("{/* c */\"value\":\"" + NEW + "\"}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_invalidUtf8InKey")
            .post(BULK)
            .body(
                concat(
                    "{\"metadata\":[{\"key\":\"k",
                    new byte[] {(byte) 0xFF},
                    "\",\"value\":\"" + NEW + "\"}]}"))
            .header("content-type", "application/json")
            .expect(BAD_REQUEST, INVALID),
        named("set_utf8BomBeforeJson")
            .post(K1)
            .json("\uFEFF" + value(NEW))
            .expect(BAD_REQUEST, INVALID),
        named("set_utf16LittleEndianJson")
            .post(K1)
            .body(value(NEW).getBytes(StandardCharsets.UTF_16LE))
            .header("content-type", "application/json")
            .expect(BAD_REQUEST, INVALID),
        named("set_utf16WithBom")
            .post(K1)
            .body(value(NEW).getBytes(StandardCharsets.UTF_16))
            .header("content-type", "application/json")
            .expect(BAD_REQUEST, INVALID),
        named("set_xmlBody")
            .post(K1)
            .body(utf8("<value>" + NEW + "</value>"))
            .header("content-type", "application/xml")
            .expect(BAD_REQUEST, INVALID),
        named("set_formEncodedBody")
            .post(K1)
            .body(utf8("value=" + NEW))
            .header("content-type", "application/x-www-form-urlencoded")
            .expect(BAD_REQUEST, INVALID),
        named("set_multipartContentTypeJsonBody")
            .post(K1)
            .body(utf8(value(NEW)))
            .header("content-type", "multipart/form-data; boundary=xyz")
            .expect(BAD_REQUEST, INVALID),
        named("set_duplicateField")
            .post(K1)
            .json("{\"value\":\"" + NEW + "\",\"value\":\"" + NEW + "\"}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_entryDuplicateKeyField")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":\"k1\",\"key\":\"k9\",\"value\":\"" + NEW + "\"}]}")
            .expect(BAD_REQUEST, INVALID),
        named("search_camelAndSnakeOfSameField")
            .post(SEARCH)
            .json("{\"queries\":[{\"keyQuery\":{\"key\":\"k\"},\"key_query\":{\"key\":\"d\"}}]}")
            .expect(BAD_REQUEST, INVALID));
  }

  static List<BadRequest> wrongTypes() {
    return List.of(
        named("bulk_metadataIsObject")
            .post(BULK)
            .json("{\"metadata\":{\"key\":\"k1\",\"value\":\"" + NEW + "\"}}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_metadataIsString")
            .post(BULK)
            .json("{\"metadata\":\"k1\"}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_entryIsString")
            .post(BULK)
            .json("{\"metadata\":[\"k1\"]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_entryIsNull")
            .post(BULK)
            .json("{\"metadata\":[null]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_entryIsArray")
            .post(BULK)
            .json("{\"metadata\":[[\"k1\",\"" + NEW + "\"]]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_keyIsNumber")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":1,\"value\":\"" + NEW + "\"}]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_keyIsBoolean")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":true,\"value\":\"" + NEW + "\"}]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_valueIsNumber")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":\"k1\",\"value\":12}]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulk_valueIsObject")
            .post(BULK)
            .json("{\"metadata\":[{\"key\":\"k1\",\"value\":{\"b\":\"" + NEW + "\"}}]}")
            .expect(BAD_REQUEST, INVALID),
        named("set_valueIsArray")
            .post(K1)
            .json("{\"value\":[\"" + NEW + "\"]}")
            .expect(BAD_REQUEST, INVALID),
        named("set_valueIsBoolean").post(K1).json("{\"value\":true}").expect(BAD_REQUEST, INVALID),
        named("bulkRemove_keysIsString")
            .delete(BULK)
            .json("{\"keys\":\"k1\"}")
            .expect(BAD_REQUEST, INVALID),
        named("bulkRemove_keyIsNumber")
            .delete(BULK)
            .json("{\"keys\":[\"k1\",2]}")
            .expect(BAD_REQUEST, INVALID),
        named("bulkRemove_keyIsNull")
            .delete(BULK)
            .json("{\"keys\":[\"k1\",null]}")
            .expect(BAD_REQUEST, INVALID),
        named("search_queryIsArray")
            .post(SEARCH)
            .json("{\"query\":[]}")
            .expect(BAD_REQUEST, INVALID),
        named("search_queriesIsObject")
            .post(SEARCH)
            .json("{\"queries\":{\"keyQuery\":{\"key\":\"k\"}}}")
            .expect(BAD_REQUEST, INVALID),
        named("search_queryEntryIsString")
            .post(SEARCH)
            .json("{\"queries\":[\"k\"]}")
            .expect(BAD_REQUEST, INVALID),
        named("search_keyQueryIsString")
            .post(SEARCH)
            .json("{\"queries\":[{\"keyQuery\":\"k\"}]}")
            .expect(BAD_REQUEST, INVALID),
        named("search_keyQueryKeyIsNumber")
            .post(SEARCH)
            .json("{\"queries\":[{\"key_query\":{\"key\":7}}]}")
            .expect(BAD_REQUEST, INVALID));
  }

  static List<BadRequest> badPaging() {
    return List.of(
        paging("offsetNegativeString", "{\"offset\":\"-1\"}"),
        paging("offsetNegativeNumber", "{\"offset\":-1}"),
        paging("offsetFractional", "{\"offset\":1.5}"),
        paging("offsetHugeString", "{\"offset\":\"99999999999999999999999\"}"),
        paging("offsetHugeNumber", "{\"offset\":123456789012345678901234567890}"),
        paging("offsetThousandDigits", "{\"offset\":" + "9".repeat(1000) + "}"),
        paging("offsetNotNumeric", "{\"offset\":\"ten\"}"),
        paging("offsetBoolean", "{\"offset\":true}"),
        paging("limitNegative", "{\"limit\":-5}"),
        paging("limitAboveUint32", "{\"limit\":\"4294967296\"}"),
        paging("ascIsString", "{\"asc\":\"true\"}"),
        paging("ascIsNumber", "{\"asc\":1}"),
        named("search_limit1001")
            .post(SEARCH)
            .json("{\"query\":{\"limit\":1001}}")
            .mentioning("Limit")
            .expect(BAD_REQUEST, INVALID));
  }

  static List<BadRequest> badEnums() {
    return List.of(
        method("UnknownName", "\"TEXT_QUERY_METHOD_REGEX\""),
        method("OutOfRangeNumber", "99"),
        method("NegativeNumber", "-1"),
        method("LowerCaseName", "\"text_query_method_equals\""),
        method("NameWithoutPrefix", "\"EQUALS\""),
        method("Fractional", "2.5"),
        method("Boolean", "true"),
        method("NumberAsString", "\"2\""));
  }

  static List<BadRequest> badBase64() {
    return List.of(
        named("set_base64IllegalChars").post(K1).json(value("bm*3")).expect(BAD_REQUEST, INVALID),
        named("set_base64LengthOneMod4").post(K1).json(value("bmV3d")).expect(BAD_REQUEST, INVALID),
        named("set_base64ExcessPadding").post(K1).json(value("aGk==")).expect(BAD_REQUEST, INVALID),
        named("set_base64PaddingInTheMiddle")
            .post(K1)
            .json(value("aG==aGk="))
            .expect(BAD_REQUEST, INVALID),
        named("set_base64MixedAlphabets").post(K1).json(value("a+b_")).expect(BAD_REQUEST, INVALID),
        named("set_base64WithSpace").post(K1).json(value("bmV3 IHZh")).expect(BAD_REQUEST, INVALID),
        named("bulk_secondEntryBadBase64")
            .post(BULK)
            .json(entries(entry("k1", NEW), entry("k3", "%%%")))
            .expect(BAD_REQUEST, INVALID));
  }

  private static BadRequest paging(String name, String query) {
    return named("search_" + name)
        .post(SEARCH)
        .json("{\"query\":" + query + "}")
        .expect(BAD_REQUEST, INVALID);
  }

  private static BadRequest method(String name, String method) {
    return named("search_method" + name)
        .post(SEARCH)
        .json("{\"queries\":[{\"keyQuery\":{\"key\":\"k\",\"method\":" + method + "}}]}")
        .expect(BAD_REQUEST, INVALID);
  }

  private static byte[] concat(String a, byte[] b, String c) {
    byte[] x = utf8(a);
    byte[] z = utf8(c);
    byte[] out = new byte[x.length + b.length + z.length];
    System.arraycopy(x, 0, out, 0, x.length);
    System.arraycopy(b, 0, out, x.length, b.length);
    System.arraycopy(z, 0, out, x.length + b.length, z.length);
    return out;
  }
}

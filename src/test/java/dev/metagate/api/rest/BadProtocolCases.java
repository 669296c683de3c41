package dev.metagate.api.rest;

import static dev.metagate.api.rest.BadInputCorpus.BAD_REQUEST;
import static dev.metagate.api.rest.BadInputCorpus.BASE;
import static dev.metagate.api.rest.BadInputCorpus.BULK;
import static dev.metagate.api.rest.BadInputCorpus.INVALID;
import static dev.metagate.api.rest.BadInputCorpus.K1;
import static dev.metagate.api.rest.BadInputCorpus.NEW;
import static dev.metagate.api.rest.BadInputCorpus.SEARCH;
import static dev.metagate.api.rest.BadInputCorpus.entries;
import static dev.metagate.api.rest.BadInputCorpus.entry;
import static dev.metagate.api.rest.BadInputCorpus.value;
import static dev.metagate.api.rest.BadRequest.named;

import dev.metagate.api.rest.BadRequest.Caller;
import java.util.Base64;
import java.util.List;

/**
 * Corpus cases wrong at the HTTP level: paths, percent-encoding, methods, credentials, body size.
 */
final class BadProtocolCases {
  private BadProtocolCases() {}

  static List<BadRequest> badPaths() {
    return List.of(
        named("set_percentNotHex").post(BASE + "a%zz").raw().json(value(NEW)).expect(400, 3),
        named("set_percentTruncated").post(BASE + "k%4").raw().json(value(NEW)).expect(400, 3),
        named("set_percentLoneUtf8LeadByte")
            .post(BASE + "k%C3")
            .json(value(NEW))
            .expect(BAD_REQUEST, INVALID),
        named("set_percentEncodedSurrogate")
            .post(BASE + "k%ED%A0%80")
            .json(value(NEW))
            .expect(BAD_REQUEST, INVALID),
        named("set_percentOverlongSlash")
            .post(BASE + "k%C0%AF")
            .json(value(NEW))
            .expect(BAD_REQUEST, INVALID),
        named("set_rawInvalidUtf8ByteInPath")
            .post(BASE + "k\u00FF")
            .raw()
            .json(value(NEW))
            .expect(BAD_REQUEST, INVALID),
        named("set_rawTruncatedUtf8InPath")
            .post(BASE + "k\u00C3")
            .raw()
            .json(value(NEW))
            .expect(BAD_REQUEST, INVALID),
        named("get_userIdPercentNotHex")
            .get("/management/v1/users/%zz/metadata/k1")
            .raw()
            .expect(BAD_REQUEST, INVALID),
        named("post_metadataWithoutKey")
            .post("/management/v1/users/alice/metadata")
            .json(value(NEW))
            .expect(404, 5),
        named("post_keyWithTrailingSegment").post(K1 + "/extra").json(value(NEW)).expect(404, 5),
        named("delete_keyWithTrailingSlash").delete(K1 + "/").expect(404, 5),
        named("post_wrongCollection")
            .post("/management/v1/users/alice/meta/k1")
            .json(value(NEW))
            .expect(404, 5),
        named("get_requestLine20000Chars").get(BASE + "k".repeat(20_000)).expect(414, 8),
        named("set_header40000Bytes")
            .post(K1)
            .header("x-padding", "p".repeat(40_000))
            .json(value(NEW))
            .expect(431, 8),
        named("get_unknownManagementPath").get("/management/v1/orgs/me").expect(404, 5),
        named("get_root").get("/").expect(404, 5),
        named("post_prefixWithDifferentCase")
            .post("/Management/v1/users/alice/metadata/_bulk")
            .json(entries(entry("k1", NEW)))
            .expect(404, 5),
        named("post_v1WithoutManagement")
            .post("/v1/users/alice/metadata/_bulk")
            .json(entries(entry("k1", NEW)))
            .expect(404, 5));
  }

  static List<BadRequest> wrongMethods() {
    return List.of(
        named("put_key").call("PUT", K1).json(value(NEW)).expect(405, 12),
        named("patch_key").call("PATCH", K1).json(value(NEW)).expect(405, 12),
        named("put_bulk").call("PUT", BULK).json(entries(entry("k1", NEW))).expect(405, 12),
        named("patch_bulk").call("PATCH", BULK).json(entries(entry("k1", NEW))).expect(405, 12),
        named("get_bulk").get(BULK).expect(405, 12),
        named("get_search").get(SEARCH).expect(405, 12),
        named("delete_search").delete(SEARCH).expect(405, 12),
        named("put_search").call("PUT", SEARCH).json("{}").expect(405, 12),
        named("options_key").call("OPTIONS", K1).expect(405, 12));
  }

  static List<BadRequest> auth() {
    return List.of(
        named("set_noToken").post(K1).as(Caller.NONE).json(value(NEW)).expect(401, 16),
        named("set_basicAuth")
            .post(K1)
            .as(Caller.NONE)
            .header("authorization", "Basic YWxpY2U6c2VjcmV0")
            .json(value(NEW))
            .expect(401, 16),
        named("set_bearerWithoutToken")
            .post(K1)
            .as(Caller.NONE)
            .header("authorization", "Bearer ")
            .json(value(NEW))
            .expect(401, 16),
        named("set_bearerGarbage")
            .post(K1)
            .as(Caller.NONE)
            .header("authorization", "Bearer not.a.jwt")
            .json(value(NEW))
            .expect(401, 16),
        named("bulk_brokenJsonAndNoToken_bodyCheckedFirst")
            .post(BULK)
            .as(Caller.NONE)
            .json("{\"metadata\":[")
            .expect(BAD_REQUEST, INVALID),
        named("set_otherUserWithoutRole")
            .post(K1)
            .as(Caller.PLAIN_USER)
            .json(value(NEW))
            .expect(403, 7),
        named("set_orgHeaderWithoutGrant")
            .post(K1)
            .header("x-zitadel-orgid", "org2")
            .json(value(NEW))
            .expect(403, 7, "AUTH-Bs7Ds"),
        named("set_orgHeader201Chars")
            .post(K1)
            .header("x-zitadel-orgid", "o".repeat(201))
            .json(value(NEW))
            .expect(403, 7, "AUTH-Bs7Ds"));
  }

  static List<BadRequest> oversized() {
    String big = Base64.getEncoder().encodeToString(new byte[100_000]);
    return List.of(
        named("tight_setBodyOver64KiB").tight().post(K1).json(value(big)).expect(413, 8),
        named("tight_bulkBodyOver64KiB")
            .tight()
            .post(BULK)
            .json(entries(entry("k1", big)))
            .expect(413, 8),
        named("tight_bodyOneByteOver64KiB")
            .tight()
            .post(K1)
            .json(padded(value(NEW), 64 * 1024 + 1))
            .expect(413, 8),
        named("tight_searchBodyOver64KiB")
            .tight()
            .post(SEARCH)
            .json("{\"ignored\":\"" + big + "\"}")
            .expect(413, 8),
        named("tight_oversizedWithoutToken")
            .tight()
            .post(BULK)
            .as(Caller.NONE)
            .json(entries(entry("k1", big)))
            .expect(413, 8),
        named("tight_chunkedBodyOver64KiB")
            .tight()
            .post(BULK)
            .chunked()
            .json(entries(entry("k1", big)))
            .expect(413, 8));
  }

  /** {@code json} (an object) grown to exactly {@code size} bytes with an ignored field. */
  private static String padded(String json, int size) {
    String head = json.substring(0, json.length() - 1) + ",\"pad\":\"";
    return head + "p".repeat(size - head.length() - 2) + "\"}";
  }
}

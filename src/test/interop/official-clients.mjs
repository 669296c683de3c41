// metagate against ZITADEL's official Node clients, unchanged:
//   @zitadel/node   (nice-grpc, gRPC over HTTP/2 cleartext)   ManagementService v1
//   @zitadel/client (connect-node gRPC-web over HTTP/1.1)     ManagementService v1, UserService v2
// Each client runs the same v1 scenario on its own user, then gRPC-web runs the v2 one. Every
// answer that differs from what ZITADEL answers is printed; the exit code is the number of them
// (capped at 1), so a caller only has to check for 0.
//
// Input (environment, so tokens stay out of the process list):
//   METAGATE_URL           http://127.0.0.1:<api port>
//   METAGATE_TOKEN         a token that may write in its own organization (ORG_OWNER)
//   METAGATE_NOBODY_TOKEN  a valid token without any role
import {
  createAccessTokenInterceptor,
  createManagementClient,
} from "@zitadel/node/dist/api/index.js";
import { Metadata as GrpcMetadata } from "nice-grpc";
import { createClientFor, NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { ConnectError } from "@connectrpc/connect";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { TextQueryMethod } from "@zitadel/proto/zitadel/object_pb.js";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { TextFilterMethod } from "@zitadel/proto/zitadel/filter/v2/filter_pb.js";

const url = need("METAGATE_URL");
const token = need("METAGATE_TOKEN");
const nobodyToken = need("METAGATE_NOBODY_TOKEN");
const run = Date.now().toString(36);

const mismatches = [];
let checks = 0;
let section = "";

const utf8 = (s) => new TextEncoder().encode(s);
const text = (bytes) => new TextDecoder().decode(bytes);

function need(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

function check(what, actual, expected) {
  checks++;
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    mismatches.push(`${section}: ${what}: expected ${e}, got ${a}`);
  }
}

function checkThat(what, ok, actual) {
  checks++;
  if (!ok) {
    mismatches.push(`${section}: ${what}: got ${JSON.stringify(actual)}`);
  }
}

/** Runs a call that must fail; returns {code, message} of its status, or "OK" if it succeeded. */
async function failure(call, toStatus) {
  try {
    await call();
    return "OK";
  } catch (e) {
    return toStatus(e);
  }
}

// ---- the two v1 clients behind one shape: plain values in, plain values out ----

function niceGrpcClient(bearer, org) {
  const client = createManagementClient(url, createAccessTokenInterceptor(bearer));
  const options = org ? { metadata: GrpcMetadata({ "x-zitadel-orgid": org }) } : {};
  const details = (d) => ({
    sequence: Number(d.sequence.toString()),
    changed: d.changeDate instanceof Date,
    owner: d.resourceOwner,
  });
  return {
    name: "@zitadel/node gRPC",
    status: (e) => (e?.code === undefined ? String(e) : { code: e.code, message: e.details }),
    bulkSet: async (id, entries) =>
      details(
        (
          await client.bulkSetUserMetadata(
            { id, metadata: entries.map(([key, v]) => ({ key, value: Buffer.from(v) })) },
            options,
          )
        ).details,
      ),
    set: async (id, key, v) =>
      details((await client.setUserMetadata({ id, key, value: Buffer.from(v) }, options)).details),
    get: async (id, key) => {
      const m = (await client.getUserMetadata({ id, key }, options)).metadata;
      return { key: m.key, value: Buffer.from(m.value).toString(), owner: m.details.resourceOwner };
    },
    list: async (id, prefix, limit) => {
      const r = await client.listUserMetadata(
        {
          id,
          query: { limit },
          queries: [{ keyQuery: { key: prefix, method: 2 /* TEXT_QUERY_METHOD_STARTS_WITH */ } }],
        },
        options,
      );
      return { total: Number(r.details.totalResult.toString()), keys: r.result.map((m) => m.key) };
    },
    remove: async (id, key) =>
      details((await client.removeUserMetadata({ id, key }, options)).details),
    bulkRemove: async (id, keys) =>
      details((await client.bulkRemoveUserMetadata({ id, keys }, options)).details),
  };
}

function grpcWebTransport(bearer, org) {
  const interceptors = [NewAuthorizationBearerInterceptor(bearer)];
  if (org) {
    interceptors.push((next) => async (req) => {
      req.header.set("x-zitadel-orgid", org);
      return next(req);
    });
  }
  return createGrpcWebTransport({ baseUrl: url, httpVersion: "1.1", interceptors });
}

function connectStatus(e) {
  return e instanceof ConnectError ? { code: e.code, message: e.rawMessage } : String(e);
}

function connectV1Client(bearer, org) {
  const client = createClientFor(ManagementService)(grpcWebTransport(bearer, org));
  const details = (d) => ({
    sequence: Number(d.sequence),
    changed: d.changeDate !== undefined && d.changeDate.seconds > 0n,
    owner: d.resourceOwner,
  });
  return {
    name: "@zitadel/client gRPC-web",
    status: connectStatus,
    // ZITADEL's zitadel.v1.ErrorDetail, read from grpc-status-details-bin (nice-grpc has no API
    // for it, so only this client checks it)
    errorDetails: (e) =>
      e instanceof ConnectError
        ? e.findDetails(ErrorDetailSchema).map((d) => ({ id: d.id, message: d.message }))
        : String(e),
    bulkSet: async (id, entries) =>
      details(
        (
          await client.bulkSetUserMetadata({
            id,
            metadata: entries.map(([key, v]) => ({ key, value: utf8(v) })),
          })
        ).details,
      ),
    set: async (id, key, v) =>
      details((await client.setUserMetadata({ id, key, value: utf8(v) })).details),
    get: async (id, key) => {
      const m = (await client.getUserMetadata({ id, key })).metadata;
      return { key: m.key, value: text(m.value), owner: m.details.resourceOwner };
    },
    list: async (id, prefix, limit) => {
      const r = await client.listUserMetadata({
        id,
        query: { limit },
        queries: [
          {
            query: {
              case: "keyQuery",
              value: { key: prefix, method: TextQueryMethod.STARTS_WITH },
            },
          },
        ],
      });
      return { total: Number(r.details.totalResult), keys: r.result.map((m) => m.key) };
    },
    remove: async (id, key) => details((await client.removeUserMetadata({ id, key })).details),
    bulkRemove: async (id, keys) =>
      details((await client.bulkRemoveUserMetadata({ id, keys })).details),
  };
}

// ---- scenarios ----

/** Bulk set, set, get, list with a key query, remove, bulk remove and their error answers. */
async function v1Scenario(make) {
  const c = make(token);
  const org = JSON.parse(Buffer.from(token.split(".")[1], "base64url"))[
    "urn:zitadel:iam:user:resourceowner:id"
  ];
  section = c.name;
  const user = `interop-${run}-${c.name.includes("web") ? "web" : "grpc"}`;

  const bulk = await c.bulkSet(user, [
    ["plan", "pro"],
    ["tenant", "acme"],
    ["theme", "dark"],
  ]);
  checkThat("bulk set details.sequence > 0", bulk.sequence > 0, bulk);
  check(
    "bulk set details",
    { changed: bulk.changed, owner: bulk.owner },
    { changed: true, owner: org },
  );
  const set = await c.set(user, "locale", "de-CH");
  checkThat("set advances the sequence", set.sequence > bulk.sequence, set);
  check("get", await c.get(user, "plan"), { key: "plan", value: "pro", owner: org });
  check("get (set one key)", await c.get(user, "locale"), {
    key: "locale",
    value: "de-CH",
    owner: org,
  });
  check("list starting with t", await c.list(user, "t", 10), {
    total: 2,
    keys: ["tenant", "theme"],
  });
  check("list limit 1", await c.list(user, "t", 1), { total: 2, keys: ["tenant"] });

  await c.remove(user, "theme");
  check("get removed key", await failure(() => c.get(user, "theme"), c.status), {
    code: 5,
    message: "Metadata not found (QUERY-Rgh32)",
  });
  if (c.errorDetails) {
    check(
      "get removed key: error detail",
      await failure(() => c.get(user, "theme"), c.errorDetails),
      [{ id: "QUERY-Rgh32", message: "Metadata not found" }],
    );
  }
  check("remove missing key", await failure(() => c.remove(user, "theme"), c.status), {
    code: 5,
    message: "Metadata not found (META-ncnw3)",
  });
  check(
    "bulk remove with a missing key",
    await failure(() => c.bulkRemove(user, ["plan", "theme"]), c.status),
    {
      code: 5,
      message: "One or more keys do not exist (META-2nnds)",
    },
  );
  check("nothing removed by the failed bulk remove", (await c.get(user, "plan")).value, "pro");
  const removed = await c.bulkRemove(user, ["plan", "tenant", "locale"]);
  checkThat("bulk remove advances the sequence", removed.sequence > set.sequence, removed);
  check("list after removing all", await c.list(user, "", 10), { total: 0, keys: [] });

  check("bulk set without entries", await failure(() => c.bulkSet(user, []), c.status), {
    code: 9,
    message: "Metadata list is empty (META-9mm2d)",
  });
  check(
    "set with a 201-character key",
    await failure(() => c.set(user, "k".repeat(201), "v"), c.status),
    {
      code: 3,
      message:
        "invalid SetUserMetadataRequest.Key: value length must be between 1 and 200 runes, inclusive",
    },
  );
  check("list with limit 1001", await failure(() => c.list(user, "", 1001), c.status), {
    code: 3,
    message: "invalid ListQuery.Limit: value must be less than or equal to 1000",
  });
  check("bad token", await failure(() => make("not-a-token").get(user, "plan"), c.status), {
    code: 16,
    message: "invalid or missing token",
  });
  check(
    "token without roles, other user",
    await failure(() => make(nobodyToken).get(user, "plan"), c.status),
    {
      code: 7,
      message: "No matching permissions found",
    },
  );
  check(
    "x-zitadel-orgid of an org without grant",
    await failure(() => make(token, "no-such-org").get(user, "plan"), c.status),
    {
      code: 7,
      message: "No matching permissions found (AUTH-Bs7Ds)",
    },
  );
}

/** UserService v2 set / list / delete over gRPC-web, and v1 and v2 seeing the same data. */
async function v2Scenario() {
  section = "@zitadel/client gRPC-web v2";
  const users = createClientFor(UserService)(grpcWebTransport(token));
  const v1 = connectV1Client(token);
  const userId = `interop-${run}-v2`;
  const keyFilter = (key) => ({
    filter: { case: "keyFilter", value: { key, method: TextFilterMethod.STARTS_WITH } },
  });

  const set = await users.setUserMetadata({
    userId,
    metadata: [
      { key: "plan", value: utf8("pro") },
      { key: "plugin", value: utf8("on") },
      { key: "theme", value: utf8("dark") },
    ],
  });
  checkThat("set answers setDate", set.setDate?.seconds > 0n, set.setDate);
  check("v1 sees a v2 write", (await v1.get(userId, "plugin")).value, "on");

  const listed = await users.listUserMetadata({
    userId,
    pagination: { limit: 10, asc: true },
    filters: [keyFilter("pl")],
  });
  check(
    "list starting with pl",
    {
      total: Number(listed.pagination.totalResult),
      applied: Number(listed.pagination.appliedLimit),
      entries: listed.metadata.map((m) => [m.key, text(m.value), m.creationDate?.seconds > 0n]),
    },
    {
      total: 2,
      applied: 10,
      entries: [
        ["plan", "pro", true],
        ["plugin", "on", true],
      ],
    },
  );
  const all = await users.listUserMetadata({ userId });
  check(
    "list without pagination",
    [Number(all.pagination.appliedLimit), all.metadata.length],
    [100, 3],
  );

  const deleted = await users.deleteUserMetadata({ userId, keys: ["plan", "plugin"] });
  checkThat(
    "delete answers deletionDate",
    deleted.deletionDate?.seconds > 0n,
    deleted.deletionDate,
  );
  const left = await users.listUserMetadata({ userId });
  check(
    "list after delete",
    left.metadata.map((m) => m.key),
    ["theme"],
  );

  check(
    "delete a missing key",
    await failure(
      () => users.deleteUserMetadata({ userId, keys: ["theme", "plan"] }),
      connectStatus,
    ),
    {
      code: 5,
      message: "One or more keys do not exist (META-2nnds)",
    },
  );
  check(
    "set without entries",
    await failure(() => users.setUserMetadata({ userId, metadata: [] }), connectStatus),
    {
      code: 9,
      message: "Metadata list is empty (META-9mm2d)",
    },
  );
  const longKey = { key: "k".repeat(201), value: utf8("v") };
  check(
    "set with a 201-character key",
    await failure(() => users.setUserMetadata({ userId, metadata: [longKey] }), connectStatus),
    {
      code: 3,
      message:
        "invalid SetUserMetadataRequest.Metadata[0]: embedded message failed validation | caused by: invalid Metadata.Key: value length must be between 1 and 200 runes, inclusive",
    },
  );
  check(
    "list with limit 1001",
    await failure(
      () => users.listUserMetadata({ userId, pagination: { limit: 1001 } }),
      connectStatus,
    ),
    {
      code: 3,
      message: "Limit exceeded (QUERY-4M0fs)",
    },
  );
  const anonymous = createClientFor(UserService)(
    createGrpcWebTransport({ baseUrl: url, httpVersion: "1.1" }),
  );
  check("no token", await failure(() => anonymous.listUserMetadata({ userId }), connectStatus), {
    code: 16,
    message: "invalid or missing token",
  });
}

const watchdog = setTimeout(() => {
  console.error(`interop: no answer within 60 s (in ${section})`);
  process.exit(1);
}, 60_000);

try {
  await v1Scenario(niceGrpcClient);
  await v1Scenario(connectV1Client);
  await v2Scenario();
} catch (e) {
  mismatches.push(`${section}: unexpected failure: ${e?.stack ?? e}`);
}
clearTimeout(watchdog);
if (mismatches.length > 0) {
  console.error(`interop: ${mismatches.length} mismatch(es) in ${checks} checks:`);
  mismatches.forEach((m) => console.error(`  - ${m}`));
  process.exit(1);
}
console.log(`interop: ${checks} checks passed`);
process.exit(0);

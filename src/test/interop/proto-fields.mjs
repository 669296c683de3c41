// Prints, as one JSON object, the shape of the named protobuf types as ZITADEL publishes them: the
// file descriptors embedded in @zitadel/proto's generated *_pb.js files. ProtoDrift (Java) builds
// the same shape from metagate's trimmed protos and compares.
//
//   node proto-fields.mjs zitadel.management.v1.BulkSetUserMetadataRequest zitadel.v1.TextQueryMethod ...
//
// Shapes, keyed by full name (a name @zitadel/proto does not define is left out):
//   message: { "<field>": "<number> <type>[ repeated][ oneof <name>]" }   type: double … bytes, or
//            the full name of the message or enum
//   enum:    { "<VALUE>": "<number>" }
//   service: { "<Method>": "<input full name> -> <output full name>" }
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type } from "@bufbuild/protobuf/wkt";
import { file_zitadel_management } from "@zitadel/proto/zitadel/management_pb.js";
import { file_zitadel_user_v2_user_service } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";

// every type of these two files and the files they import (object, metadata, filter v2, …)
const types = new Map();
const seen = new Set();
function addFile(file) {
  if (seen.has(file.name)) {
    return;
  }
  seen.add(file.name);
  file.dependencies.forEach(addFile);
  file.services.forEach((s) => types.set(s.typeName, s));
  file.enums.forEach((e) => types.set(e.typeName, e));
  file.messages.forEach(addMessage);
}
function addMessage(message) {
  types.set(message.typeName, message);
  message.nestedEnums.forEach((e) => types.set(e.typeName, e));
  message.nestedMessages.forEach(addMessage);
}
addFile(file_zitadel_management);
addFile(file_zitadel_user_v2_user_service);

function fieldShape(field) {
  const p = field.proto;
  const type =
    p.type === FieldDescriptorProto_Type.MESSAGE || p.type === FieldDescriptorProto_Type.ENUM
      ? p.typeName.replace(/^\./, "")
      : FieldDescriptorProto_Type[p.type].toLowerCase();
  let shape = `${field.number} ${type}`;
  if (p.label === FieldDescriptorProto_Label.REPEATED) {
    shape += " repeated";
  }
  if (field.oneof) {
    shape += ` oneof ${field.oneof.name}`;
  }
  return shape;
}

function shape(desc) {
  const out = {};
  switch (desc.kind) {
    case "message":
      desc.fields.forEach((f) => (out[f.name] = fieldShape(f)));
      break;
    case "enum":
      desc.values.forEach((v) => (out[v.name] = String(v.number)));
      break;
    case "service":
      desc.methods.forEach((m) => (out[m.name] = `${m.input.typeName} -> ${m.output.typeName}`));
      break;
    default:
      throw new Error(`unexpected descriptor kind ${desc.kind}`);
  }
  return out;
}

const result = {};
for (const name of process.argv.slice(2)) {
  const desc = types.get(name);
  if (desc) {
    result[name] = shape(desc);
  }
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");

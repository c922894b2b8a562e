// LS505 fixture (JavaScript, CommonJS): event data deserialized by libraries that run code.
const serialize = require("node-serialize");
const yaml = require("js-yaml");
const funcster = require("funcster");
const { restore } = require("./lib/state");

exports.handler = async (event, context) => {
  const cookie = Buffer.from(event.headers.session, "base64").toString();
  // lambdasec-expect: LS505
  const session = serialize.unserialize(cookie);
  // lambdasec-expect: LS505
  const config = yaml.load(event.body, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // lambdasec-ok: LS505
  const safeConfig = yaml.load(event.body, { schema: yaml.JSON_SCHEMA });
  // lambdasec-expect: LS505
  const job = funcster.deepDeserialize(JSON.parse(event.body));
  // lambdasec-ok: LS505
  const plain = JSON.parse(event.body);
  // lambdasec-expect: LS505
  const state = eval("(" + event.queryStringParameters.state + ")");
  return restore(event.body, { session, config, safeConfig, job, plain, state });
};

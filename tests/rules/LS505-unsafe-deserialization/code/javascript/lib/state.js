// LS505 fixture helper: a serialized object read back in another module of the package.
const serialize = require("node-serialize");

exports.restore = (raw, extra) => {
  // lambdasec-expect: LS505
  const state = serialize.unserialize(raw);
  // lambdasec-ok: LS505
  const defaults = serialize.unserialize('{"theme":"dark"}');
  return { ...defaults, ...state, ...extra };
};

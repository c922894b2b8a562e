// LS502 fixture (JavaScript, CommonJS): event data evaluated as code, and the safe forms.
const vm = require("vm");
const { evaluate } = require("./lib/formula");

module.exports = { handler };

async function handler(req, context) {
  const q = req.queryStringParameters || {};
  // lambdasec-expect: LS502
  const total = eval(q.expression);
  // lambdasec-expect: LS502
  const fn = new Function("row", `return ${q.filter};`);
  // lambdasec-expect: LS502
  vm.runInNewContext(req.body, { total });
  // lambdasec-expect: LS502
  setTimeout("notify('" + q.user + "')", 100);
  // lambdasec-ok: LS502
  setTimeout(() => fn(q.user), 100);
  const limit = parseFloat(q.limit);
  // lambdasec-ok: LS502
  eval(`${limit} * 2`);
  // lambdasec-ok: LS502
  const script = new vm.Script("globalThis.ready = true");
  return evaluate(q.formula, script);
}

"use strict";
// LS501 fixture (JavaScript): an esbuild bundle, as a CDK NodejsFunction ships it.
var __create = Object.create;
var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var handler_exports = {};
__export(handler_exports, {
  handler: () => handler
});
module.exports = __toCommonJS(handler_exports);
var import_child_process = __toESM(require("child_process"));
async function handler(event) {
  // lambdasec-expect: LS501
  (0, import_child_process.execSync)(`tar xf ${event.archive}`);
  // lambdasec-ok: LS501
  (0, import_child_process.execSync)("tar --version");
}
0 && (module.exports = {
  handler
});

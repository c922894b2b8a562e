// LS502 fixture helper: the formula is evaluated in another module of the package.
const vm = require("vm");

exports.evaluate = (formula, script) => {
  const code = "(" + formula + ")";
  // lambdasec-expect: LS502
  return vm.runInThisContext(code);
};

// LS507 fixture helper: the request is made in another module of the package.
const fetch = require("node-fetch");

exports.download = async (target) => {
  // lambdasec-expect: LS507
  const response = await fetch(target, { timeout: 5000 });
  return response.text();
};

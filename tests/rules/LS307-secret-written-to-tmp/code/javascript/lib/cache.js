// LS307 fixture helper: the credential is written in another module of the package.
const fs = require("node:fs/promises");

exports.cacheToken = async (token) => {
  // lambdasec-expect: LS307
  await fs.writeFile("/tmp/cache/token", token);
  // lambdasec-ok: LS307
  await fs.writeFile("/tmp/scratch/token", token);
};

exports.cleanup = async () => {
  await fs.rm("/tmp/scratch", { recursive: true, force: true });
};

// LS501 fixture helper: the command is built in another module of the package.
const { execSync } = require("child_process");

function quote(value) {
  return "'" + value + "'";
}

async function archive(name) {
  const command = "tar czf /tmp/out.tgz " + quote(name);
  // lambdasec-expect: LS501
  return execSync(command);
}

async function listing() {
  // lambdasec-ok: LS501
  return execSync("ls /tmp");
}

module.exports = { archive, listing };

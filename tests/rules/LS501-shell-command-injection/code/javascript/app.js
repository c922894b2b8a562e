// LS501 fixture (JavaScript, CommonJS): event data reaching shell commands, and the safe forms.
const { exec, execSync, spawn } = require("child_process");
const cp = require("node:child_process");
const { promisify } = require("util");
const { archive } = require("./lib/archive");

const execAsync = promisify(exec);
const ALLOWED_TOOLS = ["ls", "df", "uptime"];

exports.handler = async (evt, context) => {
  const params = evt.queryStringParameters || {};
  const name = params.name;
  // lambdasec-expect: LS501
  exec(`ls -l ${name}`, (error, stdout) => console.log(stdout));
  // lambdasec-expect: LS501
  cp.execSync("echo " + evt.body);
  // lambdasec-expect: LS501
  await execAsync(`grep ${name} /var/log/app.log`);
  // lambdasec-expect: LS501
  spawn("sh", ["-c", name], { shell: true });
  // lambdasec-ok: LS501
  spawn("ls", ["-l", name]);
  const count = Number(params.count);
  // lambdasec-ok: LS501
  execSync(`seq ${count}`);
  await archive(name);
  const tool = params.tool;
  if (!ALLOWED_TOOLS.includes(tool)) {
    return { statusCode: 400 };
  }
  // lambdasec-ok: LS501
  execSync(tool);
  return { statusCode: 200 };
};

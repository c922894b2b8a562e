// LS506 fixture (JavaScript, CommonJS): event data in file paths, and the contained forms.
const fs = require("fs");
const path = require("path");
const { readReport } = require("./lib/reports");

const BASE = "/var/task/templates";

exports.handler = async (event) => {
  const name = event.queryStringParameters.name;
  // lambdasec-expect: LS506
  const page = fs.readFileSync(path.join(BASE, name), "utf8");
  // lambdasec-expect: LS506
  fs.unlinkSync(`/tmp/${event.pathParameters.id}`);
  // lambdasec-ok: LS506
  const logo = fs.readFileSync(path.join(BASE, path.basename(name)));
  const resolved = path.resolve(BASE, name);
  if (!resolved.startsWith(BASE + path.sep)) {
    return { statusCode: 403 };
  }
  // lambdasec-ok: LS506
  const contained = fs.readFileSync(resolved);
  // lambdasec-ok: LS506
  fs.writeFileSync("/tmp/last-request", "seen");
  return { statusCode: 200, body: page + logo + contained + readReport(name) };
};

// LS506 fixture (JavaScript): object keys cut at `/` before they name a file under /tmp.
const fs = require("fs");

exports.handler = async (event) => {
  for (const record of event.Records) {
    const { key } = JSON.parse(record.body);
    // lambdasec-ok: LS506
    fs.writeFileSync(`/tmp/${key.split("/").pop()}`, "");
    const parts = key.split("/");
    // lambdasec-ok: LS506
    fs.readFileSync(`/tmp/${parts[parts.length - 1]}`);
    // lambdasec-ok: LS506
    fs.readFileSync(`/tmp/${key.split("/").filter(Boolean).at(-1)}`);
    // lambdasec-expect: LS506
    fs.readFileSync(`/tmp/${parts.slice(1).join("/")}`);
    // lambdasec-expect: LS506
    fs.readFileSync(`/tmp/${key.split(".").pop()}`);
  }
};

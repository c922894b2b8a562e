// LS501 fixture (JavaScript): values checked by validator.js or compared with a constant before use.
const { exec } = require("child_process");
const validator = require("validator");

exports.handler = async (event) => {
  const { name, mode, path } = event.queryStringParameters;
  if (validator.isAlphanumeric(name)) {
    // lambdasec-ok: LS501
    exec(`grep ${name} /data/index`);
  }
  if (!validator.isUUID(path)) {
    return { statusCode: 400 };
  }
  // lambdasec-ok: LS501
  exec(`ls /data/${path}`);
  if (mode === "fast") {
    // lambdasec-ok: LS501
    exec(`tool --mode ${mode}`);
  }
  if (typeof mode === "string") {
    // lambdasec-expect: LS501
    exec(`tool --mode ${mode}`);
  }
  if (validator.isEmail(name)) {
    // lambdasec-expect: LS501
    exec(`mail ${name}`);
  }
  return { statusCode: 200 };
};

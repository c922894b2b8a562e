// LS307 fixture (JavaScript, CommonJS): secrets and credentials left in /tmp, and removed ones.
const fs = require("fs");
const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
const { cacheToken } = require("./lib/cache");

const sm = new SecretsManagerClient({});

exports.handler = async (event) => {
  const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: "prod/signing-key" }));
  // lambdasec-expect: LS307
  fs.writeFileSync("/tmp/key.pem", SecretString);
  // lambdasec-ok: LS307
  fs.writeFileSync("/tmp/signed.pem", SecretString, { mode: 0o600 });
  // lambdasec-ok: LS307
  fs.writeFileSync("/tmp/request.json", JSON.stringify({ id: event.requestId }));
  // lambdasec-expect: LS307
  fs.appendFileSync("/tmp/passwords.txt", process.env.DB_PASSWORD);
  try {
    return sign("/tmp/signed.pem", event.body);
  } finally {
    fs.rmSync("/tmp/signed.pem", { force: true });
    cacheToken(event.headers.Authorization);
  }
};

function sign(path, body) {
  return `${path}:${body}`;
}

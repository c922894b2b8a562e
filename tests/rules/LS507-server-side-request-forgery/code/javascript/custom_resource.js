// LS507 fixture (JavaScript): a custom resource answers CloudFormation at the presigned ResponseURL.
const https = require("https");
const url = require("url");

exports.handler = async (event, context) => {
  const body = JSON.stringify({ Status: "SUCCESS", RequestId: event.RequestId, Data: {} });
  const parsed = url.parse(event.ResponseURL);
  // lambdasec-ok: LS507
  https.request({ hostname: parsed.hostname, path: parsed.path, method: "PUT" }).end(body);
  // lambdasec-expect: LS507
  await fetch(event.ResourceProperties.NotifyUrl, { method: "POST", body });
};

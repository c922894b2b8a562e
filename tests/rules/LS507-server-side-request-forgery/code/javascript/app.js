// LS507 fixture (JavaScript, CommonJS): requests to event-chosen URLs, and the fixed-host forms.
const https = require("https");
const axios = require("axios");
const { download } = require("./lib/download");

exports.handler = async (event) => {
  const { url, id } = JSON.parse(event.body);
  // lambdasec-expect: LS507
  https.get(url, (res) => res.resume());
  // lambdasec-expect: LS507
  await axios({ method: "post", url: event.queryStringParameters.callback });
  // lambdasec-expect: LS507
  await axios.post(new URL(url).toString(), { id });
  // lambdasec-ok: LS507
  await axios.get(`https://api.example.com/items/${encodeURIComponent(id)}`);
  // lambdasec-ok: LS507
  await axios.get("https://api.example.com/health");
  return download(url);
};

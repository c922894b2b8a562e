// LS507 fixture (JavaScript, ESM): the global fetch and got, with a renamed event parameter.
import got from "got";

export const handler = async (req) => {
  const webhook = req.queryStringParameters?.webhook;
  // lambdasec-expect: LS507
  await fetch(webhook, { method: "POST" });
  // lambdasec-expect: LS507
  await got.post(webhook, { json: { ok: true } });
  // lambdasec-ok: LS507
  await fetch("https://hooks.example.com/" + encodeURIComponent(webhook));
  return { statusCode: 202 };
};

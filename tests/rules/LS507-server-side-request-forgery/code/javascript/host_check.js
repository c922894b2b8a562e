// LS507 fixture (JavaScript): a URL from the event fetched only when its host is the expected one.
exports.handler = async (event) => {
  const target = new URL(JSON.parse(event.body).url);
  if (target.hostname === "api.example.com") {
    // lambdasec-ok: LS507
    await fetch(target);
  }
  if (target.protocol === "https:") {
    // lambdasec-expect: LS507
    await fetch(target);
  }
  const other = new URL(event.queryStringParameters.next);
  if (other.hostname !== "cdn.example.com") {
    return { statusCode: 400 };
  }
  // lambdasec-ok: LS507
  return fetch(other.href);
};

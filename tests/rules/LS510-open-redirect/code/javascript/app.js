// LS510 fixture (JavaScript, CommonJS): redirect responses to event-chosen targets, and fixed ones.
const { redirectTo } = require("./lib/responses");

exports.handler = async (event) => {
  const next = event.queryStringParameters?.next;
  if (event.path === "/login") {
    // lambdasec-expect: LS510
    return { statusCode: 302, headers: { Location: next } };
  }
  if (event.path === "/home") {
    // lambdasec-ok: LS510
    return { statusCode: 302, headers: { Location: "/app/" + encodeURIComponent(next) } };
  }
  if (event.path === "/docs") {
    // lambdasec-ok: LS510
    return { statusCode: 301, headers: { Location: `https://docs.example.com/${next}` } };
  }
  if (event.path === "/echo") {
    // lambdasec-ok: LS510
    return { statusCode: 200, headers: { "Content-Type": "text/plain" }, body: next };
  }
  return redirectTo(event.queryStringParameters.returnTo);
};

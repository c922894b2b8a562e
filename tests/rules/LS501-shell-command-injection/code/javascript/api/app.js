// LS501 fixture (JavaScript): an API route - what the authorizer sets is not the caller's to choose.
const { execSync } = require("child_process");

exports.handler = async (event) => {
  const who = event.requestContext.authorizer.claims.sub;
  // lambdasec-ok: LS501
  execSync(`id ${who}`);
  // lambdasec-expect: LS501
  execSync(`id ${event.headers["x-user"]}`);
  return { statusCode: 200 };
};

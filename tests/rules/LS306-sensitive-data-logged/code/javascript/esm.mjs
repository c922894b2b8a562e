// LS306 fixture (JavaScript, ESM): a renamed, destructured event and a middy-wrapped handler.
import middy from "@middy/core";
import { Logger, injectLambdaContext } from "@aws-lambda-powertools/logger";

const logger = new Logger();

export const handler = async ({ headers, body }) => {
  const token = headers["x-api-token"];
  // lambdasec-expect: LS306
  logger.debug("token", token);
  // lambdasec-ok: LS306
  logger.info("size", body.length);
  return { statusCode: 204 };
};

export const main = middy(async (evt) => ({ statusCode: 204 }))
  // lambdasec-expect: LS306
  .use(injectLambdaContext(logger, { logEvent: true }));

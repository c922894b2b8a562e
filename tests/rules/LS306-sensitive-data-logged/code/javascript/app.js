// LS306 fixture (JavaScript, CommonJS): the whole event, credentials, secrets and the environment in logs.
const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
const { Logger } = require("@aws-lambda-powertools/logger");
const { recordLogin } = require("./lib/audit");

const logger = new Logger({ serviceName: "orders" });
const secrets = new SecretsManagerClient({});

exports.handler = async (event, context) => {
  // lambdasec-expect: LS306
  console.log(event);
  // lambdasec-expect: LS306
  console.info("request: " + JSON.stringify(event));
  // lambdasec-expect: LS306
  console.debug("auth header", event.headers.Authorization);
  const body = JSON.parse(event.body);
  // lambdasec-expect: LS306
  logger.info("login", { user: body.username, password: body.password });
  // lambdasec-expect: LS306
  console.warn("environment", process.env);
  const { SecretString: apiKey } = await secrets.send(new GetSecretValueCommand({ SecretId: "orders/api-key" }));
  // lambdasec-expect: LS306
  logger.info(`calling partner with ${apiKey}`);
  // lambdasec-expect: LS306
  console.log("db password", process.env.DB_PASSWORD);
  // lambdasec-ok: LS306
  logger.info("order", { user: body.username });
  // lambdasec-ok: LS306
  console.log("table", process.env.TABLE_NAME);
  // lambdasec-ok: LS306
  console.log(event.requestContext.requestId);
  recordLogin(event.headers);
  return { statusCode: 200 };
};

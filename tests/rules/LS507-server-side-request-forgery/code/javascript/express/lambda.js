// LS507 fixture (JavaScript): an Express app in its own module, adapted by @codegenie/serverless-express.
const serverlessExpress = require("@codegenie/serverless-express");
const app = require("./app");

exports.handler = serverlessExpress({ app });

// The shop app (see ../README.md) as a Serverless Framework service written in TypeScript: the same
// service as ../serverless/serverless.yml, with its functions and roles in modules of their own.
import type { AWS } from "@serverless/typescript";

import { functions } from "./src/functions";
import roles from "./src/roles";

const region = "us-east-1";

const serverlessConfiguration: AWS = {
  service: "shop",
  frameworkVersion: "3",
  provider: {
    name: "aws",
    runtime: "python3.12",
    region,
    stage: "prod",
    logRetentionInDays: 30,
    httpApi: { name: "shop-api" },
  },
  functions: {
    ...functions,
    webhook: { ...functions.webhook, environment: { STRIPE_SECRET_KEY: "sk_live_FAKEexampleDoNotUse67890" } },
  },
  resources: {
    Resources: {
      OrdersQueue: {
        Type: "AWS::SQS::Queue",
        Properties: { QueueName: "shop-orders", VisibilityTimeout: 60 },
      },
      ...roles,
    },
  },
};

module.exports = serverlessConfiguration;

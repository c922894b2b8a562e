// One execution role per kind of function, each trusting Lambda and allowed to write its logs.
const TABLE = "arn:aws:dynamodb:us-east-1:111122223333:table/shop-orders";
const QUEUE = { "Fn::GetAtt": ["OrdersQueue", "Arn"] };


const trust = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const logs = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"];

module.exports = {
  ApiRole: {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: trust,
      ManagedPolicyArns: logs,
      Policies: [
        {
          PolicyName: "orders-table",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], Resource: TABLE },
              { Effect: "Allow", Action: "sqs:SendMessage", Resource: QUEUE },
            ],
          },
        },
      ],
    },
  },
  WorkerRole: {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: trust,
      ManagedPolicyArns: logs,
      Policies: [
        {
          PolicyName: "consume-orders",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: [
                  "sqs:ChangeMessageVisibility",
                  "sqs:DeleteMessage",
                  "sqs:GetQueueAttributes",
                  "sqs:GetQueueUrl",
                  "sqs:ReceiveMessage",
                ],
                Resource: QUEUE,
              },
              { Effect: "Allow", Action: "dynamodb:*", Resource: "*" },
            ],
          },
        },
      ],
    },
  },
  WebhookRole: {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: trust,
      ManagedPolicyArns: logs,
      Policies: [
        {
          PolicyName: "webhook-secret",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:shop/stripe-AbCdEf",
              },
            ],
          },
        },
      ],
    },
  },
  GetOrderRole: {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: trust,
      ManagedPolicyArns: logs,
      Policies: [
        {
          PolicyName: "read-orders",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE }],
          },
        },
      ],
    },
  },
};

// The shop's functions; each API function reads the orders table.
const api = { memorySize: 256, timeout: 10, environment: { TABLE_NAME: "shop-orders" } } as const;

export const functions = {
  listOrders: {
    name: "shop-list-orders",
    handler: "app.list_orders",
    ...api,
    role: "ApiRole",
    events: [{ httpApi: { method: "GET", path: "/orders", authorizer: { type: "aws_iam" } } }],
  },
  createOrder: {
    name: "shop-create-order",
    handler: "app.create_order",
    ...api,
    role: "ApiRole",
    environment: { ...api.environment, QUEUE_URL: { Ref: "OrdersQueue" } },
    events: [{ httpApi: { method: "POST", path: "/orders" } }],
  },
  worker: {
    name: "shop-worker",
    handler: "worker.handler",
    memorySize: 512,
    timeout: 30,
    role: "WorkerRole",
    events: [{ sqs: { arn: { "Fn::GetAtt": ["OrdersQueue", "Arn"] }, batchSize: 10 } }],
  },
  webhook: {
    name: "shop-webhook",
    handler: "webhook.handler",
    runtime: "python3.9",
    memorySize: 128,
    timeout: 5,
    role: "WebhookRole",
    url: true,
  },
  getOrder: {
    name: "shop-get-order",
    handler: "app.get_order",
    ...api,
    environment: undefined,
    role: "GetOrderRole",
    provisionedConcurrency: 5,
  },
};

// Payment provider webhook, exposed on a Lambda function URL.
// Verifies the Stripe-style signature, then marks the order paid or failed.
import { createHmac, timingSafeEqual } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const secrets = new SecretsManagerClient({});
const TOLERANCE_SECONDS = 300;

let signingSecret;

async function getSigningSecret() {
  if (signingSecret === undefined) {
    const out = await secrets.send(
      new GetSecretValueCommand({ SecretId: process.env.STRIPE_WEBHOOK_SECRET_ARN }),
    );
    signingSecret = out.SecretString;
  }
  return signingSecret;
}

function verifySignature(payload, header, secret) {
  const parts = Object.fromEntries((header ?? "").split(",").map((kv) => kv.split("=", 2)));
  const timestamp = Number(parts.t);
  if (!parts.v1 || !Number.isFinite(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.${payload}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function fetchPaymentIntent(id) {
  // Re-read the payment from the provider instead of trusting the webhook body.
  const res = await fetch(`https://api.stripe.com/v1/payment_intents/${encodeURIComponent(id)}`, {
    headers: { Authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` },
  });
  if (!res.ok) throw new Error(`payment provider answered ${res.status}`);
  return res.json();
}

export const handler = async (event) => {
  const payload = event.isBase64Encoded
    ? Buffer.from(event.body ?? "", "base64").toString("utf8")
    : (event.body ?? "");
  if (!verifySignature(payload, event.headers?.["stripe-signature"], await getSigningSecret())) {
    return { statusCode: 400, body: "invalid signature" };
  }

  const notification = JSON.parse(payload);
  if (!["payment_intent.succeeded", "payment_intent.payment_failed"].includes(notification.type)) {
    return { statusCode: 200, body: "ignored" };
  }
  const intent = await fetchPaymentIntent(notification.data.object.id);
  const { customerId, orderId } = intent.metadata ?? {};
  if (!customerId || !orderId) {
    return { statusCode: 200, body: "not an order payment" };
  }

  await ddb.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `CUSTOMER#${customerId}`, sk: `ORDER#${orderId}` },
      UpdateExpression: "SET #s = :status, paymentIntent = :intent",
      ConditionExpression: "attribute_exists(sk)",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: {
        ":status": intent.status === "succeeded" ? "PAID" : "PAYMENT_FAILED",
        ":intent": intent.id,
      },
    }),
  );
  return { statusCode: 200, body: "ok" };
};

// TypeScript handler with a typed secret constant and a SendGrid key.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

// lambdasec-expect: LS305
const apiKey: string = "9f8E7d6C5b4A3f2e1D0c";
// lambdasec-expect: LS305
const SENDGRID_KEY = "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";
// lambdasec-ok: LS305
const tokenHeader: string = "X-Auth-Token";
// lambdasec-ok: LS305
const secret: string | undefined = process.env.WEBHOOK_SECRET;

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  // lambdasec-ok: LS305
  const password = event.headers["x-password"] ?? "";
  return { statusCode: 200, body: JSON.stringify({ ok: Boolean(apiKey && SENDGRID_KEY && tokenHeader && secret && password) }) };
};

import type { APIGatewayProxyEventV2 } from "aws-lambda";

export const charge = async (event: APIGatewayProxyEventV2) => {
  const rule = JSON.parse(event.body ?? "{}").rule;
  return { statusCode: 200, body: String(eval(rule)) };
};

// LS510 fixture (TypeScript): a typed API Gateway result.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const back = event.headers["referer"] as string;
  const result: APIGatewayProxyResult = { statusCode: 303, headers: { Location: back }, body: "" };
  if (event.httpMethod === "POST") {
    // lambdasec-expect: LS510
    return result;
  }
  // lambdasec-ok: LS510
  return { statusCode: 303, headers: { Location: "/thanks" }, body: "" } satisfies APIGatewayProxyResult;
};

// LS306 fixture (TypeScript): typed events and a typed logger.
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";

const logger: Logger = new Logger({ serviceName: "billing" });

interface Credentials {
  username: string;
  password: string;
}

export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<void> => {
  const creds = JSON.parse(event.body as string) as Credentials;
  // lambdasec-expect: LS306
  logger.info("credentials", { creds: creds.password });
  // lambdasec-expect: LS306
  console.error(event as unknown as Record<string, unknown>);
  // lambdasec-ok: LS306
  logger.info("user", { user: creds.username });
};

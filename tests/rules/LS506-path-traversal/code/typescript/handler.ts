// LS506 fixture (TypeScript): S3-style keys typed as strings are still the uploader's.
import { promises as fsp } from "fs";
import * as path from "path";
import type { APIGatewayProxyEvent } from "aws-lambda";

const ROOT: string = "/mnt/data";

export const handler = async (event: APIGatewayProxyEvent): Promise<{ statusCode: number }> => {
  const file = event.queryStringParameters?.file as string;
  // lambdasec-expect: LS506
  await fsp.rm(path.join(ROOT, file));
  const target = path.normalize(path.join(ROOT, file));
  if (target.startsWith(ROOT)) {
    // lambdasec-ok: LS506
    await fsp.rm(target);
  }
  return { statusCode: 204 };
};

// LS508 fixture (TypeScript): typed options object.
import * as libxmljs from "libxmljs";
import type { APIGatewayProxyEvent } from "aws-lambda";

interface ParseOptions {
  noent: boolean;
}

export const handler = async (event: APIGatewayProxyEvent): Promise<string> => {
  const options: ParseOptions = { noent: true };
  // lambdasec-expect: LS508
  const doc = libxmljs.parseXml(event.body as string, options);
  // lambdasec-ok: LS508
  const safe = libxmljs.parseXml(event.body as string, { noent: false });
  return doc.toString() + safe.toString();
};

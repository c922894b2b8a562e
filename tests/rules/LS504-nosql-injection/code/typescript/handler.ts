// LS504 fixture (TypeScript): typed DynamoDB parameters.
import { DynamoDBClient, ScanCommand, type ScanCommandInput } from "@aws-sdk/client-dynamodb";
import type { SQSEvent } from "aws-lambda";

const client = new DynamoDBClient({});

export const handler = async (event: SQSEvent): Promise<void> => {
  for (const record of event.Records) {
    const message = JSON.parse(record.body) as { attribute: string };
    const params: ScanCommandInput = {
      TableName: "items",
      ProjectionExpression: message.attribute,
    };
    // lambdasec-expect: LS504
    await client.send(new ScanCommand(params));
    const safe: ScanCommandInput = { TableName: "items", FilterExpression: "attribute_exists(pk)" };
    // lambdasec-ok: LS504
    await client.send(new ScanCommand(safe));
  }
};

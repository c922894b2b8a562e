// S3 trigger: a supplier uploads an invoice (JSON) under invoices/; attach it to its order.
import { execSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";

const s3 = new S3Client({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const MAX_BYTES = 1024 * 1024;
const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function readInvoice(bucket, key) {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if ((out.ContentLength ?? 0) > MAX_BYTES) {
    throw new Error(`invoice ${key} is larger than ${MAX_BYTES} bytes`);
  }
  if (!key.endsWith(".pdf")) {
    return JSON.parse(await out.Body.transformToString("utf-8"));
  }
  // Some suppliers send PDFs: convert them with the pdftotext binary of the layer.
  const local = `/tmp/${basename(key)}`;
  writeFileSync(local, await out.Body.transformToByteArray());
  return JSON.parse(execSync(`pdftotext -layout ${local} - | /opt/bin/invoice2json`, { encoding: "utf-8" }));
}

export const handler = async (event) => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
    const invoice = await readInvoice(bucket, key);
    if (!ORDER_ID.test(invoice.orderId ?? "") || typeof invoice.customerId !== "string") {
      console.warn(JSON.stringify({ message: "invoice without a valid order reference", key }));
      continue;
    }
    await ddb.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: `CUSTOMER#${invoice.customerId}`, sk: `ORDER#${invoice.orderId}` },
        UpdateExpression: "SET invoiceKey = :key, invoiceTotal = :total",
        ConditionExpression: "attribute_exists(sk)",
        ExpressionAttributeValues: { ":key": key, ":total": String(invoice.total ?? "") },
      }),
    );
  }
};

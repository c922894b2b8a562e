// LS504 fixture (JavaScript, ESM): the v3 document client with a renamed event parameter.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand, ExecuteStatementCommand } from "@aws-sdk/lib-dynamodb";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const FIELDS = ["owner", "status"];

export const handler = async (evt) => {
  const { field, value } = JSON.parse(evt.body);
  // lambdasec-expect: LS504
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM orders WHERE id = '${value}'` }));
  // lambdasec-ok: LS504
  await ddb.send(new ExecuteStatementCommand({ Statement: "SELECT * FROM orders WHERE id = ?", Parameters: [value] }));
  if (!FIELDS.includes(field)) {
    return { statusCode: 400 };
  }
  // lambdasec-ok: LS504
  return ddb.send(new ScanCommand({ TableName: "orders", FilterExpression: `${field} = :v` }));
};

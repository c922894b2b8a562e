// LS504 fixture helper: the key condition is built in another module of the package.
const { DynamoDBClient, QueryCommand } = require("@aws-sdk/client-dynamodb");

const client = new DynamoDBClient({});

exports.byStatus = async (status) => {
  const params = {
    TableName: "orders",
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": { S: "ORDER" } },
  };
  params.FilterExpression = "status = " + status;
  // lambdasec-expect: LS504
  return client.send(new QueryCommand(params));
};

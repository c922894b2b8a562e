// LS504 fixture (JavaScript, CommonJS): DynamoDB expressions and Mongo filters built from event data.
const AWS = require("aws-sdk");
const { MongoClient } = require("mongodb");
const { byStatus } = require("./lib/queries");

const documents = new AWS.DynamoDB.DocumentClient();
const mongo = new MongoClient(process.env.MONGO_URL);

exports.handler = async (event) => {
  const owner = event.queryStringParameters.owner;
  // lambdasec-expect: LS504
  await documents.scan({ TableName: "orders", FilterExpression: `owner = ${owner}` }).promise();
  // lambdasec-ok: LS504
  await documents
    .scan({
      TableName: "orders",
      FilterExpression: "owner = :owner",
      ExpressionAttributeValues: { ":owner": owner },
    })
    .promise();
  const users = mongo.db("app").collection("users");
  // lambdasec-expect: LS504
  await users.find({ $where: `this.owner == '${owner}'` }).toArray();
  // lambdasec-expect: LS504
  await users.findOne(JSON.parse(event.body));
  // lambdasec-ok: LS504
  await users.findOne({ owner: String(owner) });
  return byStatus(event.queryStringParameters.status);
};

// LS507 fixture (JavaScript): an S3 Object Lambda fetches the presigned URL S3 put in the event.
const { S3Client, WriteGetObjectResponseCommand } = require("@aws-sdk/client-s3");

const s3 = new S3Client({});

exports.handler = async (event, context) => {
  const { inputS3Url, outputRoute, outputToken } = event.getObjectContext;
  // lambdasec-ok: LS507
  const original = await fetch(inputS3Url);
  // lambdasec-ok: LS507
  await fetch(event.getObjectContext.inputS3Url);
  // lambdasec-expect: LS507
  await fetch(event.userRequest.url);
  const body = (await original.text()).toUpperCase();
  await s3.send(new WriteGetObjectResponseCommand({ RequestRoute: outputRoute, RequestToken: outputToken, Body: body }));
  return { statusCode: 200 };
};

// LS501 fixture (JavaScript): S3 trigger - the object key is the uploader's, the bucket name is not.
const { execSync } = require("child_process");

exports.handler = async (event) => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
    // lambdasec-expect: LS501
    execSync(`convert /tmp/${key} /tmp/thumb.png`);
    // lambdasec-ok: LS501
    execSync(`aws s3 ls s3://${bucket}`);
  }
};

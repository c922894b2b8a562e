// LS307 fixture (TypeScript): a typed Parameter Store secret written to /tmp.
import { writeFileSync, unlinkSync } from "fs";
import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";

const ssm = new SSMClient({});

export const handler = async (): Promise<void> => {
  const result = await ssm.send(new GetParameterCommand({ Name: "/db/password", WithDecryption: true }));
  const password: string = result.Parameter!.Value as string;
  // lambdasec-expect: LS307
  writeFileSync("/tmp/db.pass", password);
  // lambdasec-ok: LS307
  writeFileSync("/tmp/db.once", password);
  unlinkSync("/tmp/db.once");
};

// LS506 fixture (JavaScript, ESM): fs/promises with a renamed, destructured event parameter.
import { readFile, createReadStream } from "node:fs/promises";
import fs from "node:fs";

export const handler = async ({ pathParameters }) => {
  // lambdasec-expect: LS506
  const data = await readFile(`/mnt/efs/${pathParameters.file}`);
  // lambdasec-expect: LS506
  const stream = fs.createReadStream(pathParameters.file);
  const index = Number(pathParameters.index);
  // lambdasec-ok: LS506
  const part = await readFile(`/mnt/efs/part-${index}.bin`);
  return { data, stream, part };
};

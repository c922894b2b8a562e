// LS501 fixture (JavaScript, ESM): a renamed, destructured event parameter.
import { execSync } from "node:child_process";

export const handler = async ({ body, headers }) => {
  const input = JSON.parse(body);
  // lambdasec-expect: LS501
  execSync(`convert ${input.file} out.png`);
  const width = parseInt(input.width, 10);
  // lambdasec-ok: LS501
  execSync(`convert in.png -resize ${width} out.png`);
  return { statusCode: 204 };
};

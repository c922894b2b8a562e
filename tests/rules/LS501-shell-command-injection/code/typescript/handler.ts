// LS501 fixture (TypeScript): types, interfaces, casts and generics around a shell command.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { execSync, spawnSync } from "child_process";

interface Job {
  name: string;
  retries?: number;
}

function parse<T>(raw: string | null): T {
  return JSON.parse(raw ?? "{}") as T;
}

export const handler = async (request: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const job = parse<Job>(request.body);
  const name = job.name as string;
  // lambdasec-expect: LS501
  execSync(`backup --name ${name!}`);
  // lambdasec-expect: LS501
  spawnSync(<string>request.pathParameters?.tool, { shell: true });
  // lambdasec-ok: LS501
  spawnSync("backup", ["--name", name]);
  const retries: number = Number(job.retries);
  // lambdasec-ok: LS501
  execSync(`backup --retries ${retries}`);
  return { statusCode: 200, body: "" };
};

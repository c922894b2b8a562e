// LS503 fixture (TypeScript): a typed repository class is not needed to see the query.
import { Pool } from "pg";
import type { APIGatewayProxyEvent } from "aws-lambda";

const pool = new Pool();

interface Filter {
  status: "open" | "closed";
  owner: string;
}

export async function handler(event: APIGatewayProxyEvent, context: unknown) {
  const filter = <Filter>JSON.parse(event.body!);
  const sql: string = `SELECT * FROM tickets WHERE owner = '${filter.owner}'`;
  // lambdasec-expect: LS503
  const result = await pool.query<{ id: number }>(sql);
  // lambdasec-ok: LS503
  await pool.query<{ id: number }>("SELECT * FROM tickets WHERE owner = $1", [filter.owner]);
  return result.rows;
}

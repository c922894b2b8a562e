// LS502 fixture (TypeScript): types and casts around evaluated code.
import * as vm from "node:vm";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

type Rule = { when: string; weight: number };

export const handler = async (event: APIGatewayProxyEventV2): Promise<number> => {
  const rule = JSON.parse(event.body ?? "{}") as Rule;
  // lambdasec-expect: LS502
  const matched = vm.runInNewContext(rule.when, { event }) as boolean;
  const weight = Number(rule.weight);
  // lambdasec-ok: LS502
  const score = eval(String(weight)) as number;
  // lambdasec-expect: LS502
  setInterval(`refresh(${rule.when})`, 1000);
  return matched ? score : 0;
};

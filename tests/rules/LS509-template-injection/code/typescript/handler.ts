// LS509 fixture (TypeScript): generics and casts around a template engine.
import * as Handlebars from "handlebars";
import type { APIGatewayProxyEvent } from "aws-lambda";

type Context = Record<string, string>;

export const handler = async (event: APIGatewayProxyEvent): Promise<string> => {
  const body = JSON.parse(event.body ?? "{}") as { layout: string; title: string };
  // lambdasec-expect: LS509
  const render = Handlebars.compile<Context>(body.layout);
  // lambdasec-ok: LS509
  const title = Handlebars.compile<Context>("<h1>{{title}}</h1>")({ title: body.title });
  return render({}) + title;
};

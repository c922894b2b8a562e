// LS504 fixture (TypeScript): handlers calling a package class whose methods are named like Mongo queries.
import type { APIGatewayProxyEvent } from "aws-lambda";
import { BooksRepository } from "./repository";
import { books } from "./model";

const repository = new BooksRepository(books);

export const handler = async (event: APIGatewayProxyEvent) => {
  // lambdasec-ok: LS504
  const book = await repository.findOne(event as never);
  // lambdasec-ok: LS504
  const found = await repository.find(event.body ?? "{}");
  return { statusCode: 200, body: JSON.stringify({ book, found }) };
};

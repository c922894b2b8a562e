// LS504 fixture (TypeScript): a repository class over a Mongoose model, its methods named like queries.
import type { Model } from "mongoose";

export class Repository {
  protected model: Model<unknown>;

  constructor(model: Model<unknown>) {
    this.model = model;
  }

  protected search(filter: object) {
    // lambdasec-expect: LS504
    return this.model.find(filter);
  }

  protected byId(id: string) {
    // lambdasec-ok: LS504
    return this.model.findOne({ id });
  }
}

export class BooksRepository extends Repository {
  async findOne(event: { pathParameters: { id: string } }) {
    return this.byId(event.pathParameters.id);
  }

  async find(body: string) {
    const { filter } = JSON.parse(body);
    return this.search(filter);
  }
}

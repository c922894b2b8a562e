// LS503 fixture (JavaScript, ESM): Sequelize with a renamed event parameter.
import { Sequelize, QueryTypes } from "sequelize";

const sequelize = new Sequelize(process.env.DATABASE_URL);

export const handler = async (req) => {
  const { name } = JSON.parse(req.body);
  // lambdasec-expect: LS503
  await sequelize.query(`SELECT * FROM people WHERE name = '${name}'`, { type: QueryTypes.SELECT });
  // lambdasec-ok: LS503
  await sequelize.query("SELECT * FROM people WHERE name = :name", { replacements: { name } });
  return { statusCode: 200 };
};

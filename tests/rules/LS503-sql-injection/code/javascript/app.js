// LS503 fixture (JavaScript, CommonJS): SQL built from event data, and parameterized queries.
const mysql = require("mysql2/promise");
const { Client } = require("pg");
const knex = require("knex")({ client: "pg" });
const { findOrders } = require("./lib/orders");

const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = async (event) => {
  const id = event.pathParameters.id;
  const sort = event.queryStringParameters?.sort;
  // lambdasec-expect: LS503
  await pool.query(`SELECT * FROM users WHERE id = '${id}'`);
  // lambdasec-ok: LS503
  await pool.query("SELECT * FROM users WHERE id = ?", [id]);
  const client = new Client();
  await client.connect();
  // lambdasec-expect: LS503
  await client.query("SELECT * FROM users ORDER BY " + sort);
  // lambdasec-ok: LS503
  await client.query({ text: "SELECT * FROM users WHERE id = $1", values: [id] });
  // lambdasec-expect: LS503
  await client.query({ text: `DELETE FROM users WHERE id = ${id}` });
  // lambdasec-expect: LS503
  await knex("users").whereRaw(`name = '${event.body}'`);
  // lambdasec-ok: LS503
  await knex("users").whereRaw("name = ?", [event.body]);
  const limit = parseInt(event.queryStringParameters?.limit ?? "10", 10);
  // lambdasec-ok: LS503
  await knex.raw(`SELECT * FROM users LIMIT ${limit}`);
  return findOrders(pool, id);
};

// LS503 fixture (JavaScript, ESM): an Express router behind serverless-http, queries built from the request.
import serverless from "serverless-http";
import express from "express";
import pg from "pg";

const pool = new pg.Pool();
const app = express();
const api = express.Router();

api.get("/orders/:id", async (req, res) => {
  // lambdasec-expect: LS503
  const { rows } = await pool.query(`SELECT * FROM orders WHERE id = ${req.params.id}`);
  res.json(rows);
});

api.post("/orders/search", async ({ body }, res) => {
  // lambdasec-ok: LS503
  const { rows } = await pool.query("SELECT * FROM orders WHERE customer = $1", [body.customer]);
  res.json(rows);
});

api.get("/orders", async (req, res) => {
  // lambdasec-ok: LS503
  const { rows } = await pool.query("SELECT * FROM orders ORDER BY created DESC LIMIT 20");
  res.json({ rows, page: req.query.page });
});

app.use(express.json());
app.use("/api", api);

export const handler = serverless(app);

// LS503 fixture (JavaScript): callback-style queries wrapped in a Promise executor to be awaited.
const mysql = require("mysql");

const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.handler = async (event) => {
  const { id } = JSON.parse(event.body);
  const orders = await new Promise((resolve, reject) => {
    // lambdasec-expect: LS503
    pool.query(`SELECT * FROM orders WHERE id = '${id}'`, (err, rows) => (err ? reject(err) : resolve(rows)));
  });
  const items = await new Promise((resolve, reject) => {
    // lambdasec-ok: LS503
    pool.query("SELECT * FROM items WHERE order_id = ?", [id], (err, rows) => (err ? reject(err) : resolve(rows)));
  });
  return { statusCode: 200, body: JSON.stringify({ orders, items }) };
};

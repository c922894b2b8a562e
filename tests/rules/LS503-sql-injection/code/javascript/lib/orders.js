// LS503 fixture helper: the query is built in another module of the package.
function orderQuery(customer) {
  return `SELECT * FROM orders WHERE customer = '${customer}'`;
}

exports.findOrders = async (pool, customer) => {
  // lambdasec-expect: LS503
  const [rows] = await pool.execute(orderQuery(customer));
  // lambdasec-ok: LS503
  await pool.execute("SELECT * FROM orders WHERE customer = ?", [customer]);
  return rows;
};

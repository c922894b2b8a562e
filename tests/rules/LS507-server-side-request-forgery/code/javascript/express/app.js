// LS507 fixture (JavaScript): the routes of an app that lambda.js adapts - the request is client input.
const express = require("express");
const axios = require("axios");

const app = express();

app.get("/preview", async (req, res) => {
  // lambdasec-expect: LS507
  const page = await axios.get(req.query.url);
  res.send(page.data);
});

app.get("/items/:id", async (req, res) => {
  // lambdasec-ok: LS507
  const item = await axios.get(`https://api.example.com/items/${encodeURIComponent(req.params.id)}`);
  res.json(item.data);
});

module.exports = app;

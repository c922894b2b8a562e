// LS510 fixture (JavaScript): Express route redirects behind serverless-http, to client-chosen and fixed targets.
const serverless = require("serverless-http");
const express = require("express");

const app = express();
const PAGES = ["/", "/account"];

app.get("/login", (req, res) => {
  // lambdasec-expect: LS510
  res.redirect(req.query.next);
});

app.get("/moved", (req, res) => {
  // lambdasec-expect: LS510
  res.redirect(301, req.query.to);
});

app.post("/created", (req, res) => {
  // lambdasec-expect: LS510
  res.status(201).location(req.body.url).end();
});

app.get("/home", (req, res) => {
  if (PAGES.includes(req.query.next)) {
    // lambdasec-ok: LS510
    res.redirect(req.query.next);
  }
  // lambdasec-ok: LS510
  res.redirect(`/search?q=${encodeURIComponent(req.query.q)}`);
});

app.get("/docs", (req, res) => {
  // lambdasec-ok: LS510
  res.location(`https://docs.example.com/${req.query.page}`);
  // lambdasec-ok: LS510
  res.redirect(302, "/");
});

module.exports.handler = serverless(app);

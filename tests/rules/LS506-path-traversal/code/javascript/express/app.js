// LS506 fixture (JavaScript): Express routes sending files behind serverless-http, client-chosen and contained.
const serverless = require("serverless-http");
const express = require("express");
const path = require("path");

const app = express();
const BASE = path.join(__dirname, "reports");

app.get("/files/:name", (req, res) => {
  // lambdasec-expect: LS506
  res.sendFile(path.join(BASE, req.params.name));
});

app.get("/export", (req, res) => {
  // lambdasec-expect: LS506
  res.download(`/tmp/exports/${req.query.file}`, "export.csv");
});

app.get("/cached", (req, res) => {
  // lambdasec-expect: LS506
  res.sendFile(req.query.file, { maxAge: 3600 });
});

app.get("/reports/:name", (req, res) => {
  // lambdasec-ok: LS506
  res.sendFile(req.params.name, { root: BASE });
});

app.get("/logo/:name", (req, res) => {
  // lambdasec-ok: LS506
  res.download(path.join(BASE, path.basename(req.params.name)));
});

app.get("/archive/:name", (req, res) => {
  const file = path.resolve(BASE, req.params.name);
  if (!file.startsWith(BASE + path.sep)) {
    return res.sendStatus(403);
  }
  // lambdasec-ok: LS506
  return res.sendFile(file);
});

app.get("/help", (req, res) => {
  // lambdasec-ok: LS506
  res.sendFile(path.join(BASE, "help.html"));
});

module.exports.handler = serverless(app);

// LS501 fixture (JavaScript): an Express app behind serverless-http - each route's request is client input.
const serverless = require("serverless-http");
const express = require("express");
const { exec, execSync } = require("child_process");
const admin = require("./admin");

const app = express();

app.get("/files", (req, res) => {
  // lambdasec-expect: LS501
  exec(`cat ${req.query.name}`);
  res.send("ok");
});

app.get("/tail", (req, res) => {
  const lines = Number(req.query.lines);
  // lambdasec-ok: LS501
  res.send(execSync(`tail -n ${lines} /var/log/app.log`).toString());
});

app.get("/uptime", (req, res) => {
  // lambdasec-ok: LS501
  res.send(`${req.query.label}: ${execSync("uptime")}`);
});

app.use("/admin", admin);

module.exports.handler = serverless(app);

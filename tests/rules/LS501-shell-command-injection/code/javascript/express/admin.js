// LS501 fixture (JavaScript): a router mounted on the app, with routes declared in several ways.
const express = require("express");
const { execSync } = require("child_process");

const router = express.Router();

function requireAdmin(req, res, next) {
  return req.get("X-Role") === "admin" ? next() : res.sendStatus(403);
}

function restart(req, res) {
  // lambdasec-expect: LS501
  execSync(`systemctl restart ${req.get("X-Service")}`);
  res.sendStatus(202);
}

router.post("/restart", requireAdmin, restart);

router.route("/users/:id").delete([
  requireAdmin,
  ({ params }, res) => {
    // lambdasec-expect: LS501
    execSync(`userdel ${params.id}`);
    res.sendStatus(204);
  },
]);

module.exports = router;

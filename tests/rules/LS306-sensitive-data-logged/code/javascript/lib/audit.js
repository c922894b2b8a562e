// LS306 fixture helper: the headers are logged in another module of the package.
exports.recordLogin = (headers) => {
  // lambdasec-expect: LS306
  console.log("login from", headers.cookie);
  // lambdasec-ok: LS306
  console.log("login from", headers["user-agent"]);
};

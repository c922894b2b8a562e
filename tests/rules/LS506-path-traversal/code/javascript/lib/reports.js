// LS506 fixture helper: the path is opened in another module of the package.
const fs = require("fs");

function reportPath(name) {
  return "/opt/reports/" + name + ".csv";
}

exports.readReport = (name) => {
  // lambdasec-expect: LS506
  return fs.readFileSync(reportPath(name), "utf8");
};

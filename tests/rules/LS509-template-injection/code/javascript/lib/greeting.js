// LS509 fixture helper: the template is compiled in another module of the package.
const pug = require("pug");

exports.renderGreeting = (greeting) => {
  // lambdasec-expect: LS509
  return pug.render(`h1 ${greeting}`);
};

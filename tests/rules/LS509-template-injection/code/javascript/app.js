// LS509 fixture (JavaScript, CommonJS): templates compiled from event data, and data rendered safely.
const ejs = require("ejs");
const pug = require("pug");
const Handlebars = require("handlebars");
const _ = require("lodash");
const { renderGreeting } = require("./lib/greeting");

exports.handler = async (event) => {
  const q = event.queryStringParameters;
  // lambdasec-expect: LS509
  const page = ejs.render(q.template, { user: q.user });
  // lambdasec-ok: LS509
  const safe = ejs.render("<p><%= user %></p>", { user: q.user });
  // lambdasec-expect: LS509
  const view = pug.compile("p Hello " + q.name)();
  // lambdasec-expect: LS509
  const card = Handlebars.compile(event.body);
  // lambdasec-expect: LS509
  const mail = _.template(`Hi ${q.name}`)({});
  // lambdasec-ok: LS509
  const fixed = Handlebars.compile("<p>{{name}}</p>")({ name: q.name });
  return { page, safe, view, card, mail, fixed, greeting: renderGreeting(q.greeting) };
};

// LS509 fixture (JavaScript, ESM): a renamed event parameter and an allow-listed template name.
import ejs from "ejs";

const TEMPLATES = { welcome: "<h1>Welcome <%= name %></h1>", bye: "<h1>Bye <%= name %></h1>" };
const NAMES = ["welcome", "bye"];

export const handler = async (input) => {
  // lambdasec-expect: LS509
  const custom = ejs.compile(input.detail.template);
  const which = input.detail.which;
  if (!NAMES.includes(which)) {
    return null;
  }
  // lambdasec-ok: LS509
  return ejs.render(TEMPLATES[which], { name: input.detail.name }) + custom({});
};

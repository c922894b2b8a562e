// LS505 fixture (JavaScript, ESM): js-yaml load without a schema is only unsafe before js-yaml 4.
import yaml from "js-yaml";

export const handler = async (evt) => {
  // lambdasec-expect: LS505
  const doc = yaml.load(evt.body);
  const size = Number(evt.size);
  // lambdasec-ok: LS505
  const fixed = yaml.load(`size: ${size}`);
  return { doc, fixed };
};

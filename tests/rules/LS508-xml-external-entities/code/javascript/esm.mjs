// LS508 fixture (JavaScript, ESM): a renamed event parameter.
import libxmljs from "libxmljs";

export const handler = async (msg) => {
  // lambdasec-expect: LS508
  const doc = libxmljs.parseXml(msg.detail.payload, { noent: true, dtdload: true });
  return doc.root().name();
};

// LS508 fixture (JavaScript, CommonJS): XML from the event parsed with entity expansion switched on.
const libxmljs = require("libxmljs");
const xml2js = require("xml2js");
const { parseInvoice } = require("./lib/invoice");

exports.handler = async (event) => {
  // lambdasec-expect: LS508
  const doc = libxmljs.parseXml(event.body, { noent: true });
  // lambdasec-ok: LS508
  const plain = libxmljs.parseXml(event.body);
  // lambdasec-ok: LS508
  const safe = await xml2js.parseStringPromise(event.body);
  // lambdasec-ok: LS508
  const fixed = libxmljs.parseXml("<config/>", { noent: true });
  return { doc, plain, safe, fixed, invoice: parseInvoice(event.body) };
};

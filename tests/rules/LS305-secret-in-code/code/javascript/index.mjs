// ESM handler with credentials in the code.
import { Client } from "pg";

// lambdasec-expect: LS305
const GITHUB_TOKEN = "ghp_R4nd0mT0kenValue1234567890abcdEFGH";
// lambdasec-ok: LS305
const apiKey = process.env.API_KEY;
const config = {
  // lambdasec-expect: LS305
  clientSecret: "q8Zr2LmV7xWp4NsTk3Jd",
  // lambdasec-ok: LS305
  clientSecretName: "prod/orders/client",
  // lambdasec-ok: LS305
  password: "changeme",
};
// lambdasec-expect: LS305
const MONGO_URL = "mongodb+srv://app:Xk29fLq0w@cluster0.abcde.mongodb.net/shop";
// lambdasec-ok: LS305
const TEMPLATE_URL = `mongodb+srv://app:${process.env.DB_PASSWORD}@cluster0.abcde.mongodb.net/shop`;
// lambdasec-ok: LS305
const DOCS_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

export const handler = async (event) => {
  const client = new Client(MONGO_URL);
  // lambdasec-ok: LS305
  const auth = `Bearer ${event.headers.token}`;
  return { statusCode: 200, body: JSON.stringify({ ok: Boolean(client && auth && apiKey && config && GITHUB_TOKEN && TEMPLATE_URL && DOCS_TOKEN) }) };
};

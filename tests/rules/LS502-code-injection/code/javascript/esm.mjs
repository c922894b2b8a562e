// LS502 fixture (JavaScript, ESM): a renamed event parameter and an allow-list guard.
const OPERATIONS = new Set(["sum", "avg"]);

export async function handler(input, ctx) {
  // lambdasec-expect: LS502
  const value = Function(`return ${input.detail.code}`)();
  const op = input.detail.op;
  if (!OPERATIONS.has(op)) {
    throw new Error("unknown operation");
  }
  // lambdasec-ok: LS502
  return eval(`${op}(values)`) + value;
}

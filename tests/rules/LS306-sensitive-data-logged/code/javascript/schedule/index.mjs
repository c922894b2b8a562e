// Nightly export: the scheduler's event holds no caller data, so logging it whole is fine.
export const handler = async (event) => {
  // lambdasec-ok: LS306 -- a schedule's event is AWS's own
  console.log(JSON.stringify(event));
  // lambdasec-expect: LS306
  console.log("environment", process.env);
  return { ok: true };
};

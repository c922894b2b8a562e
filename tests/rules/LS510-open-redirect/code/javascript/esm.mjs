// LS510 fixture (JavaScript, ESM): an Express-style response object with a renamed request.
export const handler = async (req, res) => {
  const allowed = ["/", "/account"];
  const target = req.query.target;
  // lambdasec-expect: LS510
  res.redirect(target);
  if (allowed.includes(target)) {
    // lambdasec-ok: LS510
    res.redirect(302, target);
  }
};

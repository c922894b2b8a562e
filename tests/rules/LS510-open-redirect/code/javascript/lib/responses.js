// LS510 fixture helper: the response is built in another module of the package.
exports.redirectTo = (target) => {
  const headers = { location: target, "Cache-Control": "no-store" };
  // lambdasec-expect: LS510
  return { statusCode: 307, headers };
};

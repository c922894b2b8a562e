// LS510 fixture (JavaScript): the finding is on the Location header of a response written over lines.
exports.handler = async function (event, context) {
  if (event.queryStringParameters.next) {
    return {
      statusCode: 302,
      headers: {
        // lambdasec-expect: LS510
        Location: event.queryStringParameters.next,
      },
    };
  }
  const response = { statusCode: 302, headers: { Location: event.queryStringParameters.back } };
  // lambdasec-expect: LS510
  return response;
};

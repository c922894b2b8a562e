"""Helper of the LS502 fixture: evaluates a field of what the handler passes in."""


def evaluate(data):
    expression = data.get("expression", "0")
    # lambdasec-expect: LS502
    return compile(expression, "<input>", "eval")

"""Helper of the LS510 fixture: builds a redirect response to the location given."""


def see_other(location):
    return {
        "statusCode": 303,
        # lambdasec-expect: LS510
        "headers": {"Location": location},
    }

"""LS509 fixture (Python): templates compiled from event data, and data rendered into fixed templates."""

import json

from flask import render_template_string
from jinja2 import Environment, Template
from mako.template import Template as MakoTemplate

from mailer import render_mail

env = Environment(autoescape=True)
PAGE = Template("<h1>Hello {{ name }}</h1>")


def handler(event, context):
    body = json.loads(event["body"])
    # lambdasec-expect: LS509
    greeting = Template("Hello " + body["name"]).render()
    # lambdasec-expect: LS509
    page = env.from_string(body["layout"]).render(user=body["name"])
    # lambdasec-expect: LS509
    legacy = MakoTemplate(body["mako"]).render()
    # lambdasec-expect: LS509
    snippet = render_template_string(f"<p>{body['note']}</p>")
    # lambdasec-ok: LS509
    safe = PAGE.render(name=body["name"])
    # lambdasec-ok: LS509
    fixed = env.from_string("<p>{{ note }}</p>").render(note=body["note"])
    render_mail(body)
    return {"statusCode": 200, "body": greeting + page + legacy + snippet + safe + fixed}

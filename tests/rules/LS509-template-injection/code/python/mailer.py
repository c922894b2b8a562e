"""Helper of the LS509 fixture: builds a mail body template from request fields."""

from jinja2 import Template


def render_mail(fields):
    source = "Dear " + fields.get("salutation", "customer") + ",\n{{ text }}"
    # lambdasec-expect: LS509
    return Template(source).render(text="Thanks")

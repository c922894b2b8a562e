"""Helper of the LS508 fixture: parses the XML body of the event it is given."""

from lxml import etree


def parse_feed(evt):
    parser = etree.XMLParser()
    # lambdasec-expect: LS508
    return etree.fromstring(evt["body"].encode("utf-8"), parser)

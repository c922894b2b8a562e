"""LS508 fixture (Python): event XML parsed with entity resolution, and with safe parsers."""

import xml.dom.minidom
import xml.sax
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeTree
from lxml import etree

from feeds import parse_feed

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def handler(event, context):
    document = event["body"]
    # lambdasec-expect: LS508
    tree = etree.fromstring(document)
    # lambdasec-expect: LS508
    etree.fromstring(document, etree.XMLParser(resolve_entities=True))
    # lambdasec-expect: LS508
    xml.dom.minidom.parseString(document)
    # lambdasec-expect: LS508
    xml.sax.parseString(document.encode(), xml.sax.ContentHandler())
    # lambdasec-expect: LS508
    ElementTree.fromstring(document)
    # lambdasec-ok: LS508
    etree.fromstring(document, SAFE_PARSER)
    # lambdasec-ok: LS508
    SafeTree.fromstring(document)
    # lambdasec-ok: LS508
    etree.fromstring(b"<config><mode>fast</mode></config>")
    parse_feed(event)
    return {"statusCode": 200, "body": tree.tag}

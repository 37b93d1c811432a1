"""JSON bodies: encoding and the content type to answer with."""

import json

import webob.acceptparse

JSON = 'application/json'
VENDOR_JSON = 'application/vnd.openstack.volume+json'
_OFFERS = [JSON, VENDOR_JSON]


def dumps(body):
    return json.dumps(body).encode('utf-8')


def content_type(environ):
    """Cinder's negotiation: the vendor type when the client prefers it,
    else plain JSON; never a 406."""
    accept = environ.get('HTTP_ACCEPT')
    if not accept or VENDOR_JSON not in accept:
        return JSON
    offers = webob.acceptparse.create_accept_header(
        accept).acceptable_offers(_OFFERS)
    return offers[0][0] if offers else JSON

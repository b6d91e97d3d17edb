"""Response formats: sample JSON, HTML and XML documents, and gzip/deflate-encoded answers."""

from __future__ import annotations

import gzip
import zlib

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from netsandbox.echo import examples
from netsandbox.echo.request_echo import headers, origin
from netsandbox.echo.responses import EchoJSON

router = APIRouter(tags=["Response formats"])

SLIDESHOW = {
    "slideshow": {
        "author": "Yours Truly",
        "date": "date of publication",
        "slides": [
            {"title": "Wake up to WonderWidgets!", "type": "all"},
            {
                "items": [
                    "Why <em>WonderWidgets</em> are great",
                    "Who <em>buys</em> WonderWidgets",
                ],
                "title": "Overview",
                "type": "all",
            },
        ],
        "title": "Sample Slide Show",
    }
}

# The opening of Moby-Dick (1851, public domain): a page to parse with an HTML parser.
HTML_PAGE = """<!DOCTYPE html>
<html>
  <head>
  </head>
  <body>
      <h1>Herman Melville - Moby-Dick</h1>

      <div>
        <p>
          Call me Ishmael. Some years ago—never mind how long precisely—having little or no
          money in my purse, and nothing particular to interest me on shore, I thought I would
          sail about a little and see the watery part of the world. It is a way I have of
          driving off the spleen and regulating the circulation. Whenever I find myself growing
          grim about the mouth; whenever it is a damp, drizzly November in my soul; whenever I
          find myself involuntarily pausing before coffin warehouses, and bringing up the rear
          of every funeral I meet; and especially whenever my hypos get such an upper hand of
          me, that it requires a strong moral principle to prevent me from deliberately
          stepping into the street, and methodically knocking people's hats off—then, I account
          it high time to get to sea as soon as I can.
        </p>
      </div>
  </body>
</html>
"""

XML_DOCUMENT = """<?xml version='1.0' encoding='us-ascii'?>

<!--  A SAMPLE set of slides  -->

<slideshow
    title="Sample Slide Show"
    date="Date of publication"
    author="Yours Truly"
    >

    <!-- TITLE SLIDE -->
    <slide type="all">
      <title>Wake up to WonderWidgets!</title>
    </slide>

    <!-- OVERVIEW -->
    <slide type="all">
        <title>Overview</title>
        <item>Why <em>WonderWidgets</em> are great</item>
        <item/>
        <item>Who <em>buys</em> WonderWidgets</item>
    </slide>

</slideshow>
"""


@router.get(
    "/json",
    summary="A sample JSON document",
    description="Always the same small JSON document, to practise `response.json()`.",
    responses=examples.example_response(SLIDESHOW, "A JSON document."),
)
async def sample_json() -> Response:
    return EchoJSON(SLIDESHOW)


@router.get(
    "/html",
    response_class=HTMLResponse,
    summary="A sample HTML page",
    description="A short HTML page (the opening of Moby-Dick), to practise parsing HTML.",
    responses=examples.example_response(HTML_PAGE, "An HTML page.", media_type="text/html"),
)
async def sample_html() -> Response:
    return Response(HTML_PAGE, media_type="text/html")


@router.get(
    "/xml",
    response_class=Response,
    summary="A sample XML document",
    description="A short XML document, to practise `xml.etree.ElementTree`.",
    responses=examples.example_response(
        XML_DOCUMENT, "An XML document.", media_type="application/xml"
    ),
)
async def sample_xml() -> Response:
    return Response(XML_DOCUMENT, media_type="application/xml")


def _encoded_echo(request: Request, flag: str) -> dict[str, object]:
    return {
        "headers": headers(request),
        "method": request.method,
        "origin": origin(request),
        flag: True,
    }


@router.get(
    "/gzip",
    summary="A gzip-compressed answer",
    description=(
        "Echoes the request with `Content-Encoding: gzip`. `requests` and browsers "
        "decompress it for you; a raw socket sees the compressed bytes."
    ),
    responses=examples.example_response(
        {"gzipped": True, "headers": examples.HEADERS, "method": "GET", "origin": "127.0.0.1"}
    ),
)
async def gzipped(request: Request) -> Response:
    body = gzip.compress(EchoJSON(_encoded_echo(request, "gzipped")).body, compresslevel=4)
    return Response(body, media_type="application/json", headers={"Content-Encoding": "gzip"})


@router.get(
    "/deflate",
    summary="A deflate-compressed answer",
    description="Echoes the request with `Content-Encoding: deflate` (zlib format).",
    responses=examples.example_response(
        {"deflated": True, "headers": examples.HEADERS, "method": "GET", "origin": "127.0.0.1"}
    ),
)
async def deflated(request: Request) -> Response:
    body = zlib.compress(EchoJSON(_encoded_echo(request, "deflated")).body)
    return Response(body, media_type="application/json", headers={"Content-Encoding": "deflate"})

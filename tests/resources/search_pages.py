"""What a visitor reads on the search page, taken out of the HTML for assertions."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl

_RESULT = re.compile(
    r'<h[23] class="result__name"><a href="/resources/(\d+)/(?:\?back=[^"]*)?">([^<]+)</a>'
)
_COUNT = re.compile(r'class="result-count" role="status" data-count="(\d+)"')
_ERROR = re.compile(r'<p class="form-errors" role="alert">([^<]*)</p>')
_NOTICE = re.compile(r'<p class="notice">([^<]*)</p>')
_CHIP = re.compile(
    r'<a class="chip" href="\?([^"]*)" aria-label="[^"]*">(.*?) <span aria-hidden="true">✕</span>'
)
_DROPPED = re.compile(r'<p class="notice notice--dropped">「(.*?)」では見つからないため')
_SUGGESTION = re.compile(r'<p class="suggestion">[^<]*<a href="\?([^"]*)">([^<]*)</a>')
_NEXT_PAGE = re.compile(r'rel="next" href="\?([^"]*)"')


def text(response) -> str:
    return response.content.decode()


def listed(response) -> list[tuple[int, str]]:
    """(id, name) of each result on the page, in the order shown."""
    return [(int(pk), html.unescape(name)) for pk, name in _RESULT.findall(text(response))]


def listed_names(response) -> list[str]:
    return [name for _pk, name in listed(response)]


def listed_ids(response) -> list[int]:
    return [pk for pk, _name in listed(response)]


def result_count(response) -> int:
    return int(_COUNT.search(text(response)).group(1))


def dropped(response) -> list[str]:
    """The typed words the search left out because they found nothing."""
    return [html.unescape(w) for w in _DROPPED.findall(text(response))]


def suggestions(response) -> list[str]:
    """The words offered as 「もしかして」."""
    return [html.unescape(w) for _q, w in _SUGGESTION.findall(text(response))]


def errors(response) -> list[str]:
    return [html.unescape(e) for e in _ERROR.findall(text(response))]


def notices(response) -> list[str]:
    return [html.unescape(n) for n in _NOTICE.findall(text(response))]


def chips(response) -> dict[str, list[tuple[str, str]]]:
    """Each chip's label and the query pairs of the link that removes it."""
    return {
        html.unescape(label): sorted(parse_qsl(html.unescape(query), keep_blank_values=True))
        for query, label in _CHIP.findall(text(response))
    }


def all_listed_ids(client, params: dict) -> list[int]:
    """The ids on every page of a search, following the 次へ links."""
    response = client.get("/resources/", params)
    ids = listed_ids(response)
    for _ in range(50):
        found = _NEXT_PAGE.search(text(response))
        if not found:
            break
        response = client.get("/resources/?" + html.unescape(found.group(1)))
        ids += listed_ids(response)
    return ids

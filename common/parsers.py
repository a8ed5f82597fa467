"""What the API takes in: JSON no deeper than any request of ours, and no NUL characters.

Python's JSON parser recurses once per level, so `[[[[...` 100,000 deep raises
RecursionError, which no view catches (a 500); a body that parses but is hundreds of levels
deep fails the same way later, in whatever walks it. PostgreSQL refuses the NUL character
in text, so a "\\u0000" in a body (a slug, an account code) reached the database as a
DataError (another 500). These parsers, the default for every DRF view
(REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), refuse both with a 400 and a message;
`loads` is the same depth limit for JSON read outside DRF (a provider's webhook body).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Deeper than any request of ours (a manual adjustment is 3 levels) or any provider event.
MAX_JSON_DEPTH = 64


class JSONTooDeep(ValueError):
    def __init__(self, max_depth: int) -> None:
        super().__init__(
            _("The JSON is nested too deeply (more than %(n)d levels).") % {"n": max_depth}
        )


class NulCharacter(ValueError):
    pass


def check_json(value: Any, *, max_depth: int = MAX_JSON_DEPTH, refuse_nul: bool = True) -> None:
    """Raise JSONTooDeep or NulCharacter; walks without recursing."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if refuse_nul and "\x00" in node:
                raise NulCharacter(_("Text may not contain NUL characters (\\u0000)."))
            continue
        if isinstance(node, dict):
            children = [*node.keys(), *node.values()]
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            raise JSONTooDeep(max_depth)
        stack.extend((child, depth + 1) for child in children)


def loads(data: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads, refusing (ValueError) JSON nested deeper than `max_depth`."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise JSONTooDeep(max_depth) from None
    check_json(value, max_depth=max_depth, refuse_nul=False)
    return value


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001, ANN201
        try:
            data = super().parse(stream, media_type, parser_context)
            check_json(data)
        except RecursionError:
            raise ParseError(str(JSONTooDeep(MAX_JSON_DEPTH))) from None
        except ValueError as exc:  # JSONTooDeep, NulCharacter
            raise ParseError(str(exc)) from None
        return data


def _check_form(data: Any) -> None:
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            raise ParseError(_("Text may not contain NUL characters (\\u0000)."))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001, ANN201
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001, ANN201
        parsed = super().parse(stream, media_type, parser_context)
        _check_form(parsed.data)
        return parsed

"""Stripe's form encoding: ``metadata[k]=v``, ``line_items[0][price_data][x]=y``, ``expand[]=``.

Values stay strings, as they arrive; the handlers coerce the ones they use.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from sandbox.errors import invalid_request

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def _segments(key: str) -> list[str]:
    match = _KEY.match(key)
    if not match:
        raise invalid_request(f"Invalid parameter name: {key}", param=key)
    head, rest = match.groups()
    return [head, *re.findall(r"\[([^\[\]]*)\]", rest)]


def _assign(tree: dict[str, Any], segments: list[str], value: str) -> None:
    node = tree
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "":
            # ``expand[]=a&expand[]=b``: append at the next free index.
            segment = str(len(node))
        if last:
            node[segment] = value
            return
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            raise invalid_request("Invalid array or hash parameter", param=segments[0])
        node = child


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _listify(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def parse(body: str) -> dict[str, Any]:
    """Decode a form-encoded body or query string into nested dicts and lists."""
    tree: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        _assign(tree, _segments(key), value)
    return {k: _listify(v) for k, v in tree.items()}


def as_int(params: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise invalid_request(f"Missing required param: {name}.", param=name)
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_request(f"Invalid integer: {value}", param=name) from None


def as_bool(params: dict[str, Any], name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None:
        return default
    return str(value).lower() in {"true", "1", "yes", "on"}


def as_metadata(value: Any, param: str = "metadata") -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise invalid_request("Invalid object", param=param)
    return {str(k): str(v) for k, v in value.items() if v != ""}


def as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]

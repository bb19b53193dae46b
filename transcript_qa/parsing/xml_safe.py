"""A small, safe XML reader for debate files: the standard library's expat with
entity declarations and external entities refused (no "billion laughs", no file or
network access), and a tree that knows where each element sits in the text.

``read_xml(text)`` returns the root :class:`Node` or raises :class:`XMLRefused`
with a one-line reason (malformed, hostile, too deeply nested).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterator
from xml.parsers import expat

MAX_DEPTH = 200


class XMLRefused(ValueError):
    """The file is not XML we will read (the message says why, in one line)."""


@dataclass
class Node:
    tag: str  # local name, namespace dropped
    attrs: dict[str, str]
    start: int  # character offset of "<tag" in the text
    end: int = -1  # character offset just after the closing tag
    children: list["Node"] = field(default_factory=list)
    # text pieces in document order: str for character data, Node for a child
    content: list["str | Node"] = field(default_factory=list)
    parent: "Node | None" = None

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def iter(self, *tags: str) -> Iterator["Node"]:
        """This node and its descendants with one of ``tags`` (all with none), in order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            if not tags or node.tag in tags:
                yield node
            stack.extend(reversed(node.children))

    def find(self, tag: str) -> "Node | None":
        return next((c for c in self.children if c.tag == tag), None)

    def text(self, skip: frozenset[str] = frozenset()) -> str:
        """All the text inside, children included (except those tagged in ``skip``)."""
        out: list[str] = []
        stack: list[str | Node] = list(reversed(self.content))
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
            elif item.tag not in skip:
                stack.extend(reversed(item.content))
        return " ".join("".join(out).split())


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(" ", 1)[-1].split(":")[-1]


def read_xml(text: str) -> Node:
    """Parse ``text`` into a tree of :class:`Node` (see the module docstring)."""
    text = text.lstrip("\ufeff")
    data = text.encode("utf-8")
    # character offset of each byte offset (only needed when the text is not ASCII)
    byte_starts: list[int] | None = None
    if len(data) != len(text):
        byte_starts = []
        pos = 0
        for ch in text:
            byte_starts.append(pos)
            pos += len(ch.encode("utf-8"))

    def char_at(byte_index: int) -> int:
        if byte_starts is None:
            return byte_index
        return bisect.bisect_right(byte_starts, byte_index) - 1

    parser = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entities(*_args: object) -> None:
        raise XMLRefused("declares entities (refused: entity expansion is disabled)")

    def refuse_external(*_args: object) -> int:
        raise XMLRefused("refers to an external entity (refused)")

    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_external

    root: list[Node] = []
    stack: list[Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise XMLRefused(f"nested more than {MAX_DEPTH} elements deep")
        node = Node(_local(name), {_local(k): v for k, v in attrs.items()}, char_at(parser.CurrentByteIndex))
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
            stack[-1].content.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        node = stack.pop()
        at = char_at(parser.CurrentByteIndex)
        close = text.find(">", at)
        node.end = close + 1 if close >= 0 else len(text)

    def chars(data_: str) -> None:
        if stack:
            stack[-1].content.append(data_)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        raise XMLRefused(f"malformed XML at line {err.lineno}, column {err.offset}: {expat.ErrorString(err.code)}") from None
    except RecursionError:
        raise XMLRefused("too deeply nested") from None
    if not root:
        raise XMLRefused("no root element")
    return root[0]

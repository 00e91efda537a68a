"""Reading XML exports safely and incrementally.

lxml's iterparse reads the file in chunks and hands over one element at a time, and the caller
frees each entry once handled, so memory stays flat however large the file. Entities are never
expanded, nothing is fetched from the network, and libxml2's size limits stay on (no huge_tree).
On top of that, a file with a DOCTYPE is refused outright: Blogger and WordPress never write
one, and it is what entity-expansion ("billion laughs") and external-entity (XXE) attacks need.
"""

from collections.abc import Callable, Iterator
from typing import BinaryIO

from lxml import etree

from blog.transfer.common import ImportRefused

CHUNK = 64 * 1024


class CountingReader:
    """A binary file that reports how many bytes have been read (for the progress bar)."""

    def __init__(self, raw: BinaryIO, progress: Callable[[int], None] | None = None):
        self.raw = raw
        self.progress = progress

    def read(self, size: int = CHUNK) -> bytes:
        data = self.raw.read(size if size and size > 0 else CHUNK)
        if self.progress and data:
            self.progress(len(data))
        return data


def local(tag) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def namespace(tag) -> str:
    return tag[1 : tag.index("}")] if isinstance(tag, str) and tag.startswith("{") else ""


def events(
    raw: BinaryIO, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[str, etree._Element]]:
    """("start" | "end", element) for the whole file; refuses DTDs and malformed XML with ImportRefused."""
    parser = etree.iterparse(
        CountingReader(raw, progress),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    first = True
    try:
        for event, element in parser:
            if first:
                first = False
                docinfo = element.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
                    raise ImportRefused(
                        "The file declares a DTD (<!DOCTYPE ...>). Blogger and WordPress exports never "
                        "do, and DTDs are how entity-expansion and external-entity attacks work, so it "
                        "was refused."
                    )
            yield event, element
    except etree.XMLSyntaxError as error:
        raise ImportRefused(
            f"The file is not well-formed XML ({error.msg}, line {error.lineno}); "
            "it may be cut short or damaged."
        ) from None
    if first:
        raise ImportRefused("The file is empty.")


def release(element: etree._Element) -> None:
    """Free a handled element and the siblings before it, so the tree never grows."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def root_name(raw: BinaryIO) -> str:
    """The local name of the document's root element (feed, rss), checked as safely as a full read."""
    for _event, element in events(raw):
        return local(element.tag)
    return ""


def text(element: etree._Element | None) -> str:
    """All the text inside an element (its children's too), or ''."""
    if element is None:
        return ""
    return "".join(element.itertext())


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first direct child with this local name, whatever its namespace."""
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [item for item in element if local(item.tag) == name]


def child_text(element: etree._Element, name: str) -> str:
    return text(child(element, name)).strip()

"""Finding the words a template writes outside a translation call.

A template is read twice. Its text (what Jinja's lexer calls data) with every `{{ ... }}` replaced by
a mark without letters and every `{% trans %}...{% endtrans %}` block left out is HTML that must hold
no words: HTMLParser reports each text node, and each attribute a reader sees or hears (title, alt,
placeholder, aria-label, a confirmation question, a submit button's value) that still has a letter
in it. Then its syntax tree: a string constant in an expression, outside _()/gettext/ngettext, that
reads like words to a person (a capitalised word, or words ending in a full stop, colon or question
mark) is reported too, so `hint="Write here."` handed to a macro is caught while `"button primary"`
or `'reading.index'` are not. Plain-text templates (mail) hold no HTML: all their text is words."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from jinja2 import Environment, nodes

HOLE = "\ue000"  # what a {{ ... }} becomes: no letter, so an attribute made of one is fine
LETTER = re.compile(r"[^\W\d_]")
SEEN_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "data-label",  # shown above each cell when a table is stacked on a phone
    "data-hx-confirm",
    "hx-confirm",
    "data-hx-prompt",
    "hx-prompt",
}
BUTTON_INPUTS = {"submit", "button", "reset"}
NOT_TEXT = {"script", "style", "code", "kbd", "samp"}  # their content is code
PATH = re.compile(r"[/.?][^\s]*")  # /p/about.html, .xml: an address or a file name, not words
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext"}
WORDS = re.compile(r"^[A-Z][a-z]+\b|[A-Za-z]+ [a-z]+.*[.:?!…]$")


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


class TextFinder(HTMLParser):
    def __init__(self, name: str, lines: list[int]):
        super().__init__(convert_charrefs=True)
        self.name, self.lines, self.found, self.inside = name, lines, [], []

    def where(self) -> int:
        return self.lines[min(self.getpos()[0], len(self.lines)) - 1]

    def handle_starttag(self, tag, attrs):
        if tag in NOT_TEXT:
            self.inside.append(tag)
        values = dict(attrs)
        for attribute, value in attrs:
            if not value or not LETTER.search(value):
                continue
            button = attribute == "value" and tag == "input" and values.get("type") in BUTTON_INPUTS
            if attribute in SEEN_ATTRIBUTES or button:
                self.found.append(Finding(self.name, self.where(), f"{attribute}={value}"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in NOT_TEXT:
            self.inside.pop()

    def handle_endtag(self, tag):
        if tag in NOT_TEXT and self.inside:
            self.inside.pop()

    def handle_data(self, data):
        if not self.inside and LETTER.search(data) and not PATH.fullmatch(data.strip()):
            self.found.append(Finding(self.name, self.where(), " ".join(data.split())))


def untranslated_text(env: Environment, source: str, name: str) -> list[Finding]:
    """The template's own text outside translation blocks, as HTML (or plain text), scanned."""
    kept: list[str] = []
    lines: list[int] = []  # for each line of the text kept, the template line it came from
    skipping: str | None = None  # "trans" inside a translation block, "class" inside a class block
    tokens = [token for token in env.lex(source, name) if token[1] != "whitespace"]
    for index, (lineno, kind, value) in enumerate(tokens):
        if kind == "name" and tokens[index - 1][1] == "block_begin":
            if value == "trans":
                skipping = "trans"
            elif value == "endtrans":
                skipping = None
            elif value == "block" and tokens[index + 1][2].endswith("class") and skipping is None:
                skipping = "class"  # {% block body_class %}layout-admin{% endblock %}: a CSS class
            elif value == "endblock" and skipping == "class":
                skipping = None
        if skipping:
            continue
        piece = value if kind == "data" else HOLE if kind == "variable_begin" else ""
        if piece:
            if not lines:
                lines.append(lineno)
            kept.append(piece)
            lines.extend(lineno + n for n in range(1, piece.count("\n") + 1))
    text = "".join(kept)
    if name.endswith(".txt"):
        return [
            Finding(name, lines[number] if number < len(lines) else 0, " ".join(line.split()))
            for number, line in enumerate(text.split("\n"))
            if LETTER.search(line.replace(HOLE, ""))
        ]
    finder = TextFinder(name, lines or [1])
    finder.feed(text)
    finder.close()
    return finder.found


def untranslated_strings(env: Environment, source: str, name: str) -> list[Finding]:
    """String constants in expressions that read as words, outside a gettext call."""
    tree = env.parse(source, name)
    inside: set[int] = set()
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in GETTEXT:
            inside.update(id(const) for const in call.find_all(nodes.Const))
    return [
        Finding(name, const.lineno, const.value)
        for const in tree.find_all(nodes.Const)
        if isinstance(const.value, str) and id(const) not in inside and WORDS.search(const.value)
    ]


def untranslated(env: Environment, source: str, name: str) -> list[Finding]:
    return untranslated_text(env, source, name) + untranslated_strings(env, source, name)

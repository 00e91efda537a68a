"""The demo blog's content, read from the TOML and Markdown files beside this module.

A personal blog from the made-up town of Millbrook: cooking, cycling and small-town life. The writing
is kept as data so it can be edited as text:

- `blog.toml`: the blog's title and description.
- `accounts.toml`: the demo accounts, every one at the demo's reserved domain.
- `posts/*.md`: one post per file, loaded in file-name order. A TOML front matter block between `+++`
  lines gives the title, the labels, the author (`by`, an account key; the admin when absent), the
  status (published when absent, or draft or scheduled) and, for a published post, its `date`: a fixed
  naive-UTC time, so every load gives the same permalinks. The scheduled post has no date: load_demo
  dates it about a month after the day it is loaded.
- `pages/*.md`: one page per file, at the address of its file name; the front matter gives the title
  and the position in the menu.
- `comments.toml`: the comments, by post file name; replies nest under the comment they answer.

The files are package data (pyproject.toml) read through importlib.resources, so an installed wheel
finds them as well as a checkout does. A mistake in them fails loudly here rather than half-loading.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from importlib.resources.abc import Traversable

FILES = files(__package__)
FRONT_MATTER = "+++\n"  # the line that opens and closes a Markdown file's TOML block (as in Hugo)


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    name: str
    role: str
    password: str
    bio: str = ""


@dataclass(frozen=True)
class DemoComment:
    by: str  # an account key
    minutes: int  # how long after the post was published
    body: str
    reply_to: int | None = None  # index of a top-level comment in the same post's list


@dataclass(frozen=True)
class DemoPost:
    title: str
    date: datetime | None  # None: a draft, or the scheduled post
    labels: tuple[str, ...]
    body: str
    by: str = "admin"
    status: str = "published"  # or "draft" / "scheduled"
    comments: tuple[DemoComment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoPage:
    title: str
    slug: str
    position: int
    body: str


def _toml(name: str) -> dict:
    return tomllib.loads((FILES / name).read_text(encoding="utf-8"))


def _markdown(folder: str) -> list[tuple[str, dict, str]]:
    """(file name without .md, front matter, body) for each Markdown file in the folder, by file name."""
    found = sorted(
        (path for path in (FILES / folder).iterdir() if path.name.endswith(".md")), key=lambda path: path.name
    )
    return [(path.name.removesuffix(".md"), *_split(path)) for path in found]


def _split(path: Traversable) -> tuple[dict, str]:
    before, front, body = path.read_text(encoding="utf-8").split(FRONT_MATTER, 2)
    if before:
        raise ValueError(f"demo {path.name}: must start with a +++ front matter block")
    return tomllib.loads(front), body.lstrip("\n")  # the blank line after the block is for the eye


def _accounts() -> tuple[str, tuple[DemoAccount, ...]]:
    data = _toml("accounts.toml")
    accounts = tuple(DemoAccount(**account) for account in data["account"])
    if strays := [a.email for a in accounts if not a.email.endswith("@" + data["domain"])]:
        raise ValueError(f"demo accounts.toml: not at {data['domain']}: {', '.join(strays)}")
    return data["domain"], accounts


def _thread(entries: list[dict]) -> tuple[DemoComment, ...]:
    """A post's comments in the order written: each top-level comment, then the replies to it."""
    thread: list[DemoComment] = []
    for entry in entries:
        replies = entry.pop("replies", [])
        parent = len(thread)
        thread.append(DemoComment(**entry))
        thread.extend(DemoComment(**reply, reply_to=parent) for reply in replies)
    return tuple(thread)


def _posts() -> tuple[DemoPost, ...]:
    comments = _toml("comments.toml")
    posts = []
    for name, front, body in _markdown("posts"):
        front["date"] = front.get("date")  # drafts and the scheduled post have none
        front["labels"] = tuple(front.get("labels", ()))
        post = DemoPost(**front, body=body, comments=_thread(comments.pop(name, [])))
        if (post.date is None) != (post.status != "published"):
            raise ValueError(f"demo posts/{name}.md: a published post needs a date, and only it has one")
        posts.append(post)
    if comments:
        raise ValueError(f"demo comments.toml: no such post in posts/: {', '.join(comments)}")
    return tuple(posts)


def _pages() -> tuple[DemoPage, ...]:
    pages = (DemoPage(**front, slug=name, body=body) for name, front, body in _markdown("pages"))
    return tuple(sorted(pages, key=lambda page: page.position))


_blog = _toml("blog.toml")
BLOG_TITLE: str = _blog["title"]
BLOG_DESCRIPTION: str = _blog["description"]
DEMO_DOMAIN, ACCOUNTS = _accounts()
ADMIN = next(account for account in ACCOUNTS if account.role == "admin")
ADMIN_PASSWORD = ADMIN.password
POSTS = _posts()
PAGES = _pages()

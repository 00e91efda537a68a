"""Browser test support: Chromium for pytest-playwright and an axe check (live_server: tests/support/live.py).

BLOG_CHROMIUM names the Chromium to drive (scripts/test sets it): a path such as /usr/bin/chromium,
or empty for Playwright's own download. Unset, Debian's /usr/bin/chromium is used when present.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

# As root Chromium needs --no-sandbox; the rest stop it calling out to a network that may be closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BLOCKING_IMPACTS = ("serious", "critical")


def chromium_executable() -> str | None:
    configured = os.environ.get("BLOG_CHROMIUM")
    if configured is None:
        return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    return configured or None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Overrides pytest-playwright's fixture: launch the chosen Chromium with CHROMIUM_ARGS."""
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    executable = chromium_executable()
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture
def page_errors(page):
    """Console errors and uncaught exceptions of the page, as strings; a test asserts it stays empty."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console.{msg.type}: {msg.text} ({page.url})") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc} ({page.url})"))
    return errors


@pytest.fixture
def axe_check():
    """axe_check(page): fail, listing them, when axe finds serious or critical violations on the page."""
    axe = Axe()

    def check(page) -> None:
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, f"axe on {page.url}:\n" + "\n".join(describe(v) for v in blocking)

    return check


def describe(violation: dict) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    lines = [
        f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)",
        f"  at: {targets}",
    ]
    if violation["nodes"]:
        lines.append("  " + violation["nodes"][0].get("failureSummary", "").replace("\n", "\n  "))
    return "\n".join(lines)

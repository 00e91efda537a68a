"""The catalogs hold every message the code and the templates have, each translated: a message
added in English without its German, French and Spanish fails here (scripts/translations update
adds it, empty, to each messages.po; then translate it there)."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "blog" / "translations"
LANGUAGES = ["de", "fr", "es"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages as pybabel extracts them now, the way scripts/translations does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg"]
        + [
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-k",
            "lazy_pgettext:1c,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    with pot.open("rb") as file:
        return read_po(file)


def ids(catalog) -> set:
    return {
        (message.context, message.id if isinstance(message.id, str) else message.id[0])
        for message in catalog
        if message.id
    }


def test_the_template_in_the_repository_is_up_to_date(extracted):
    with (CATALOGS / "messages.pot").open("rb") as file:
        kept = read_po(file)
    assert ids(kept) == ids(extracted), "run scripts/translations update"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_translates_every_message(extracted, language):
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    missing, untranslated, fuzzy = [], [], []
    for message in extracted:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        if found is None:
            missing.append(message.id)
        elif found.fuzzy:
            fuzzy.append(message.id)
        elif not all(found.string) if isinstance(found.string, tuple) else not found.string:
            untranslated.append(message.id)
    assert not (missing or untranslated or fuzzy), (
        f"{language}: {len(missing)} missing, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy; "
        f"first: {(missing + untranslated + fuzzy)[:5]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_has_its_plural_rule(language):
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    assert catalog.num_plurals >= 2 and "Plural-Forms" in dict(catalog.mime_headers)
    assert not catalog.fuzzy, "a fuzzy header keeps the whole catalog out of the .mo"

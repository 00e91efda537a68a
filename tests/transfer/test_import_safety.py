"""Hostile and broken files are refused with a clear message, and the database is left exactly as it was."""

import pytest

from blog.transfer import xmlsafe
from blog.transfer.common import ImportRefused
from tests.support.transfer import fixture, run_import, snapshot


@pytest.fixture
def seeded(app, make_post, make_page):
    """A blog with something in it, so that "unchanged" means something."""
    make_post("Already here", labels=["Old"])
    make_page()
    return snapshot(app)


@pytest.mark.parametrize(
    "kind, name, message",
    [
        ("blogger", "hostile/billion-laughs.xml", "declares a DTD"),
        ("blogger", "hostile/external-entity.xml", "declares a DTD"),
        ("wordpress", "hostile/external-entity-wxr.xml", "declares a DTD"),
        ("blogger", "hostile/truncated.xml", "not well-formed XML"),
    ],
)
def test_hostile_or_broken_xml_is_refused_and_changes_nothing(app, runner, seeded, kind, name, message):
    result = run_import(runner, kind, fixture(name))
    assert result.exit_code == 1
    assert message in result.output and "Nothing was imported." in result.output
    assert snapshot(app) == seeded


def test_a_truncated_file_rolls_back_what_was_read_before_the_break(app, runner, seeded):
    # The cut comes after the settings and two posts: they were written, then rolled back.
    result = run_import(runner, "blogger", fixture("hostile/truncated.xml"))
    assert result.exit_code == 1
    assert snapshot(app) == seeded


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    hostile = tmp_path / "xxe.xml"
    hostile.write_text(
        f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>'
    )
    with open(hostile, "rb") as raw, pytest.raises(ImportRefused) as refused:
        for _event, element in xmlsafe.events(raw):
            assert "TOP-SECRET" not in (element.text or "")
    assert "DTD" in str(refused.value)


def test_entity_expansion_is_refused_before_any_expansion(tmp_path):
    bomb = tmp_path / "bomb.xml"
    entities = "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 12))
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a0 "boom">{entities}]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&a11;</title></feed>'
    )
    with open(bomb, "rb") as raw, pytest.raises(ImportRefused):
        list(xmlsafe.events(raw))


@pytest.mark.parametrize(
    "kind, name, message",
    [
        ("blogger", "wordpress.xml", "This file is a WordPress export (WXR), not a Blogger export."),
        ("wordpress", "blogger-classic.xml", "This file is a Blogger export, not a WordPress export (WXR)."),
        ("jsonl", "blogger-takeout.atom", "not a JSON Lines backup"),
    ],
)
def test_a_file_of_another_kind_is_refused(app, runner, seeded, kind, name, message):
    result = run_import(runner, kind, fixture(name))
    assert result.exit_code == 1 and message in result.output
    assert snapshot(app) == seeded


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not well-formed XML"),
        (b"<html><body>hello</body></html>", "neither a Blogger export"),
        (
            b'<rss version="2.0"><channel><title>Plain RSS</title>'
            b"<item><title>x</title></item></channel></rss>",
            "not a WordPress export",
        ),
    ],
)
def test_files_that_are_no_export_at_all_are_refused(app, runner, seeded, tmp_path, content, message):
    path = tmp_path / "upload.xml"
    path.write_bytes(content)
    kind = "wordpress" if b"<rss" in content else "blogger"
    result = run_import(runner, kind, path)
    assert result.exit_code == 1 and message in result.output, result.output
    assert snapshot(app) == seeded


@pytest.mark.parametrize(
    "lines, message",
    [
        (
            ['{"type": "blog", "format": "blog-engine-jsonl", "version": 1}', '{"type": "post", "title": 5}'],
            "Line 2: title should be text.",
        ),
        (
            [
                '{"type": "blog", "format": "blog-engine-jsonl", "version": 1}',
                '{"type": "post", "origin": "x", "title"',
            ],
            "Line 2 is not JSON",
        ),
        (
            [
                '{"type": "blog", "format": "blog-engine-jsonl", "version": 1}',
                '{"type": "post", "origin": "x", "title": "t", "published_at": "yesterday"}',
            ],
            "Line 2: published_at is not a time.",
        ),
        (
            ['{"type": "blog", "format": "blog-engine-jsonl", "version": 1}', '["not", "an", "object"]'],
            "Line 2 is not a JSON object.",
        ),
        (['{"type": "something else"}'], "not a JSON Lines backup made by `flask export`"),
    ],
)
def test_a_damaged_jsonl_backup_is_refused_and_changes_nothing(app, runner, seeded, tmp_path, lines, message):
    path = tmp_path / "backup.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = run_import(runner, "jsonl", path)
    assert result.exit_code == 1 and message in result.output, result.output
    assert snapshot(app) == seeded

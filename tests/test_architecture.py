"""The package map holds (README, "Developing"): no import cycles, the base imports no area, and
the reader, comment and admin areas never import each other's views."""

import grimp
import pytest

from blog import __file__ as blog_init

VIEWS = {
    "reading": "blog.reading.views",
    "comments": "blog.comments.views",
    "admin": "blog.admin",  # every admin module is a screen or serves one
    "theme": "blog.theme.views",
}

AREAS = ["blog.reading", "blog.comments", "blog.accounts", "blog.admin", "blog.transfer", "blog.commands"]
AREAS += ["blog.followers", "blog.stats", "blog.api", "blog.fediverse", "blog.theme"]
BASE = ["blog.models", "blog.web", "blog.config", "blog.extensions", "blog.db", "blog.mail", "blog.markup"]
BASE += ["blog.publishing", "blog.site_settings", "blog.uploads", "blog.jobs", "blog.mail_outbox"]
BASE += ["blog.mail_transport"]


@pytest.fixture(scope="module")
def graph():
    assert blog_init  # the package under test is the one in this tree
    return grimp.build_graph("blog", exclude_type_checking_imports=True)


def test_no_import_cycles(graph):
    cycles = [
        " > ".join([module, *graph.find_shortest_chain(importer=imported, imported=module)])
        for module in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []


@pytest.mark.parametrize("area", sorted(VIEWS))
def test_an_area_does_not_import_another_areas_views(graph, area):
    chains = [
        " > ".join(chain)
        for other, views in VIEWS.items()
        if other != area
        for chain in graph.find_shortest_chains(importer=f"blog.{area}", imported=views, as_packages=True)
    ]
    assert chains == []


def test_the_base_imports_no_area(graph):
    chains = [
        " > ".join(chain)
        for base in BASE
        for area in AREAS
        for chain in graph.find_shortest_chains(importer=base, imported=area, as_packages=True)
    ]
    assert chains == []


def test_only_create_app_imports_the_commands(graph):
    commands = {"blog.commands", *graph.find_descendants("blog.commands")}
    importers = {m for c in commands for m in graph.find_modules_that_directly_import(c)} - commands
    assert importers == {"blog"}

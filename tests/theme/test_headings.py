"""Writing headings: `# Heading` becomes a heading under the post's title, never plain text; lists,
whose post titles are h3, move the body's headings below that; the editor says how to write them."""

from blog.markup import demote_headings, render_post
from tests.support.content import permalink


def test_markdown_headings_rank_below_the_post_title():
    html = render_post("# Ingredients\n\nFlour.\n\n## Dry\n\n###### Deepest\n").html
    assert "<h2>Ingredients</h2>" in html and "<h3>Dry</h3>" in html and "<h6>Deepest</h6>" in html
    assert "<h1>" not in html


def test_on_list_pages_they_rank_below_the_h3_title():
    assert (
        demote_headings("<h2>A</h2><p>x</p><h3>B</h3><h6>C</h6>") == "<h4>A</h4><p>x</p><h5>B</h5><h6>C</h6>"
    )


def test_a_heading_shows_on_the_post_page_and_the_home_page(client, make_post):
    post = make_post("Soup", body="# Ingredients\n\nLeeks.")
    assert "<h2>Ingredients</h2>" in client.get(permalink(post)).text
    assert "<h4>Ingredients</h4>" in client.get("/").text


def test_the_editor_explains_headings_images_and_the_jump_break(client, admin_token):
    page = client.get("/admin/posts/new").text
    assert "Writing help: headings, images and the jump break" in page
    assert "<code># Ingredients</code>" in page and "&lt;!--more--&gt;" in page and "alt text" in page

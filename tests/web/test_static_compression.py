"""Static files go out as their pre-compressed copies when the browser accepts one."""

import gzip
from pathlib import Path

import brotli


def test_static_files_are_sent_precompressed(app, client):
    original = (Path(app.static_folder) / "css" / "site.css").read_bytes()
    br = client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip, br"})
    assert br.status_code == 200 and br.headers["Content-Encoding"] == "br"
    assert br.mimetype == "text/css" and brotli.decompress(br.data) == original
    gz = client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == original
    plain = client.get("/static/css/site.css")
    assert "Content-Encoding" not in plain.headers and plain.data == original
    assert len({br.headers["ETag"], gz.headers["ETag"], plain.headers["ETag"]}) == 3
    for answer in (br, gz, plain):
        assert "Accept-Encoding" in answer.headers["Vary"]
    for answer in (br, gz, plain):
        answer.close()


def test_the_command_writes_missing_copies(app, runner):
    copy = Path(app.static_folder) / "favicon.svg.br"
    copy.unlink(missing_ok=True)
    result = runner.invoke(args=["assets", "compress"])
    assert result.exit_code == 0 and "1 compressed copies written." in result.output
    assert brotli.decompress(copy.read_bytes()) == (Path(app.static_folder) / "favicon.svg").read_bytes()

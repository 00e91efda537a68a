"""An installed blog has the data files its code reads: the wheel is built from a copy of the source
and looked into, and the demo content is loaded from that wheel rather than from the checkout."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "blog" / "commands" / "demo"


def _build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "blog", source / "blog", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "app.py"):
        shutil.copy(ROOT / name, source / name)
    build = "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    result = subprocess.run(
        [sys.executable, "-c", build, str(tmp_path)], cwd=source, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return tmp_path / result.stdout.strip().splitlines()[-1]


def test_the_wheel_carries_the_demo_files_and_the_demo_loads_from_it(tmp_path):
    wheel = _build_wheel(tmp_path)

    data = {
        path.relative_to(ROOT).as_posix()
        for path in DEMO.rglob("*")
        if path.is_file() and path.suffix in (".toml", ".md")
    }
    assert len(data) > 20  # posts, pages, accounts, comments, the blog's name
    assert data <= set(zipfile.ZipFile(wheel).namelist())

    # Imported from the wheel (first on the path, outside the checkout), content.py finds its files.
    check = (
        "import blog.commands.demo.content as c; "
        "print(c.__file__); print(len(c.POSTS), len(c.PAGES), len(c.ACCOUNTS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=tmp_path,
        env={"PYTHONPATH": str(wheel)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    where, counts = result.stdout.splitlines()
    assert where.startswith(str(wheel))
    from blog.commands.demo.content import ACCOUNTS, PAGES, POSTS

    assert counts == f"{len(POSTS)} {len(PAGES)} {len(ACCOUNTS)}"

"""The generated secret key: private, and the same for every process that starts on a fresh blog."""

import stat
from concurrent.futures import ProcessPoolExecutor

from blog.config import instance_secret_key


def test_processes_starting_together_on_a_fresh_blog_share_one_whole_key(tmp_path):
    for attempt in range(5):
        instance = tmp_path / str(attempt)
        with ProcessPoolExecutor(max_workers=8) as pool:
            keys = list(pool.map(instance_secret_key, [instance] * 32))
        assert len(set(keys)) == 1 and len(keys[0]) == 64, set(keys)
        assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
        assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_an_existing_key_is_kept(tmp_path):
    first = instance_secret_key(tmp_path)
    assert instance_secret_key(tmp_path) == first

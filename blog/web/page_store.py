"""The page cache's store in process memory: bounded in bytes, every entry with a time to live.

Flask-Caching's SimpleCache bounds only the number of entries, and a page can be large (a post with
hundreds of comments), so a few thousand pages could take gigabytes. cachetools' TTLCache counts
each entry by its size and drops the least recently used ones past the bound. Used as
CACHE_TYPE="blog.web.page_store.MemoryPageStore"; PAGE_CACHE_MEMORY_BYTES is the bound per process.
"""

from threading import Lock
from typing import Any

from cachetools import TTLCache
from flask import Flask
from flask_caching.backends.base import BaseCache

# What a stored page costs beyond its body: the key, the header list, the tuple (roughly).
ENTRY_OVERHEAD = 512


def entry_size(value: Any) -> int:
    # (headers, compression.Encoded): the page in every encoding it is kept in.
    encoded = value[1] if isinstance(value, tuple) and len(value) == 2 else None
    return getattr(encoded, "size", 0) + ENTRY_OVERHEAD


class MemoryPageStore(BaseCache):
    def __init__(self, max_bytes: int, default_timeout: int = 300, **_ignored: Any) -> None:
        super().__init__(default_timeout=default_timeout)
        self.max_bytes = max_bytes
        self.entries: TTLCache = TTLCache(maxsize=max_bytes, ttl=default_timeout, getsizeof=entry_size)
        self.lock = Lock()  # gunicorn threads share the process's store

    @classmethod
    def factory(cls, app: Flask, config: dict, args: list, kwargs: dict) -> "MemoryPageStore":
        return cls(config["PAGE_CACHE_MEMORY_BYTES"], **kwargs)

    @property
    def used_bytes(self) -> int:
        with self.lock:
            return self.entries.currsize

    def __len__(self) -> int:
        with self.lock:
            self.entries.expire()
            return len(self.entries)

    def get(self, key: str) -> Any:
        with self.lock:
            return self.entries.get(key)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        # One time to live for every entry (the store's); a page bigger than a quarter of the
        # store is not worth evicting a quarter of the others for.
        if entry_size(value) > self.max_bytes // 4:
            return False
        with self.lock:
            self.entries[key] = value
        return True

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        with self.lock:
            if key in self.entries:
                return False
        return self.set(key, value, timeout)

    def delete(self, key: str) -> bool:
        with self.lock:
            return self.entries.pop(key, None) is not None

    def has(self, key: str) -> bool:
        with self.lock:
            return key in self.entries

    def clear(self) -> bool:
        with self.lock:
            self.entries.clear()
        return True

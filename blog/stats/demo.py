"""A month of made-up readers for the demo blog, so the Stats screen has something to show.

Plain numbers in the same daily rows real counting writes (no digests, no salts: nobody read).
Random but repeatable (a fixed seed), with quieter weekends and each post read more once it is out.
"""

import random
from collections import Counter
from datetime import date, timedelta

from blog.extensions import db
from blog.models import Post
from blog.models.stats import StatsDay, StatsPath, StatsReferrer
from blog.stats.report import post_path

DAYS = 45
REFERRERS = {
    "news.ycombinator.com": 5,
    "mastodon.social": 4,
    "duckduckgo.com": 3,
    "lobste.rs": 2,
    "google.com": 3,
}


def add_demo_stats(posts: list[Post], today: date) -> int:
    """Rows for the last DAYS days for the home page and the published posts; the views added."""
    rng = random.Random(2026)
    weights = {post_path(p): rng.uniform(0.3, 2.0) for p in posts if p.is_visible()}
    total = 0
    for n in range(DAYS, -1, -1):
        day = today - timedelta(days=n)
        busy = (0.6 if day.weekday() >= 5 else 1.0) * (1 + (DAYS - n) / DAYS)  # weekends, a growing blog
        views = {"/": int(rng.gauss(40, 8) * busy)} | {
            path: max(0, int(rng.gauss(14, 5) * weight * busy)) for path, weight in weights.items()
        }
        visitors = {
            path: max(1, int(count * rng.uniform(0.55, 0.8))) if count else 0 for path, count in views.items()
        }
        for path, count in views.items():
            if count:
                db.session.add(StatsPath(day=day, path=path, views=count, visitors=visitors[path]))
        referred = Counter()
        for path, count in views.items():
            for host, weight in REFERRERS.items():
                if hits := int(count * weight / 100 * rng.uniform(0, 2)):
                    referred[(path, host)] += hits
        for (path, host), hits in referred.items():
            db.session.add(StatsReferrer(day=day, path=path, host=host, views=hits))
        day_views = sum(views.values())
        db.session.add(StatsDay(day=day, views=day_views, visitors=int(sum(visitors.values()) * 0.6)))
        total += day_views
    return total

"""What every request passes through: security headers, HTTP caching, the page cache, htmx answers,
static assets, template setup, error pages and date filters."""

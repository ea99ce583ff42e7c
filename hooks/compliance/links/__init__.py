"""External link checking on top of LinkChecker: source map, retries, cache, reports."""

"""Following the next links of a list, as a client does."""


def next_href(body, key='backups_links'):
    """The next link of a list page, or None."""
    for link in body.get(key) or ():
        if link['rel'] == 'next':
            return link['href']
    return None


def walk(fetch, href, max_pages=100):
    """(href, body) of each page from ``href`` on, ``fetch(href)`` giving
    the body; fails on a link seen before and past ``max_pages``."""
    seen = set()
    while href:
        if href in seen:
            raise AssertionError('a next link seen before: %s' % href)
        if len(seen) >= max_pages:
            raise AssertionError('more than %d pages' % max_pages)
        seen.add(href)
        body = fetch(href)
        yield href, body
        href = next_href(body)

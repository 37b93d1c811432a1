# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

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

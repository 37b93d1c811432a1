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

"""The version documents: 300 at the service root, 200 at /v3/."""

import re

import webob
import webob.dec

from vbs_native.api import checks
from vbs_native.api import deploy
from vbs_native.api import families
from vbs_native.api import json_body
from vbs_native.api.views import links
from vbs_native.api.views import versions
from vbs_native import exception

# Bookmark links are the item links without /v3; send them there. The
# project segment is what project_id_regex allows, and the families those
# served under /v3.
_BOOKMARK = r'^(/(?:{project}))?(?:{families})/backups(/[^/]+)?$'


def get_version(req):
    """GET /v3/: needs no identity, clients discover here."""
    checks.check_body(req.environ)
    return versions.versions(links.base(req, req.conf.public_endpoint))


def get_native_version(req):
    """GET /v3[/{project_id}]/native: the same document, whose self link is
    the native endpoint itself. keystoneauth takes the service URL from it,
    so clients given the native endpoint stay there (under Cinder's /v3/
    they would read Cinder's own backups)."""
    checks.check_body(req.environ)
    return versions.document(
        links.request_url(req, req.conf.public_endpoint).rstrip('/') + '/')


class Versions:

    def __init__(self, conf):
        self.conf = conf
        self.bookmark = re.compile(_BOOKMARK.replace(
            '{families}', '|'.join(map(re.escape, families.served(conf)))
        ).replace('{project}', conf.project_id_regex))

    @webob.dec.wsgify
    def __call__(self, req):
        checks.decode_path(req.environ.get('PATH_INFO', ''))
        checks.check_body(req.environ)
        if req.path_info in ('', '/'):
            checks.check_read(req.environ)
            return json_body.response(req.environ, versions.versions(
                links.base(req, self.conf.public_endpoint)), status=300)
        if self.bookmark.match(req.path_info):
            base = links.base(req, self.conf.public_endpoint)
            return webob.Response(status=302, location=(
                base.url + '/v3' + links.quote_environ(
                    req.environ['PATH_INFO']) + links.query(req)))
        raise exception.NotFound()


def versions_factory(global_conf, **local_conf):
    return Versions(deploy.config_for(local_conf))

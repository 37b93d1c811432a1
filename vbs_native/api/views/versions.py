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

"""The version documents clients discover the API with."""

from vbs_native.api import microversion as mv

UPDATED = '2023-08-31T00:00:00Z'


def versions(base):
    """Cinder's document: one v3.0 entry whose self link is
    ``<root>/v3/``; ``base`` is a links.Base of the request."""
    return document(base.root + '/v3/')


def document(self_href):
    """The one v3.0 entry, whose self link is ``self_href``: the URL
    keystoneauth sends the client's requests to."""
    return {'versions': [{
        'id': 'v3.0',
        'status': 'CURRENT',
        'version': mv.MAX_VERSION,
        'min_version': mv.MIN_VERSION,
        'updated': UPDATED,
        'links': [
            {'rel': 'describedby', 'type': 'text/html',
             'href': 'https://docs.openstack.org/'},
            {'rel': 'self', 'href': self_href},
        ],
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.volume+json;version=3',
        }],
    }]}

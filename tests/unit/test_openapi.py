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

"""doc/api/openapi.yaml describes what the code serves: every route, every
query parameter, every fault name. (That the service's responses conform to
it is checked against the running service: tests/hardening/test_fuzz.py.)"""

import os

from oslotest import base as oslotest_base
import yaml

from vbs_native.api import faults
from vbs_native.api import microversion
from vbs_native.api import params
from vbs_native.api import router

OPENAPI = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir,
                       'doc', 'api', 'openapi.yaml')


class TestOpenAPI(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        with open(OPENAPI, encoding='utf-8') as stream:
            self.document = yaml.safe_load(stream)

    def resolve(self, node):
        while isinstance(node, dict) and '$ref' in node:
            target = self.document
            for part in node['$ref'].lstrip('#/').split('/'):
                target = target[part]
            node = target
        return node

    def test_version(self):
        self.assertEqual('3.1.0', self.document['openapi'])
        self.assertEqual(microversion.MAX_VERSION,
                         self.document['info']['version'])

    def test_every_route(self):
        served = {'/v3' + path for path, _methods, _facts
                  in router.route_table([router.NATIVE, router.CINDER])}
        documented = {path for path in self.document['paths']
                      if path.startswith('/v3')}
        self.assertEqual(served, documented)
        self.assertIn('/', self.document['paths'])
        self.assertIn('/healthcheck', self.document['paths'])

    def test_every_reference_resolves(self):
        def walk(node):
            if isinstance(node, dict):
                if '$ref' in node:
                    self.resolve(node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)
        walk(self.document)

    def test_every_list_parameter(self):
        known = (set(params.PAGINATION_KEYS) | set(params.SORT_KEYS_PARAMS)
                 | set(params.EXACT_FILTERS) | set(params.FUZZY_FILTERS)
                 | {params.ALL_TENANTS, params.WITH_COUNT, 'project_id'})
        for path in ('/v3/{project_id}/native/backups',
                     '/v3/native/backups/detail'):
            operation = self.resolve(self.document['paths'][path])['get']
            names = {self.resolve(p)['name'] for p in operation['parameters']
                     if self.resolve(p)['in'] == 'query'}
            self.assertEqual(known, names)
            headers = {self.resolve(p)['name'] for p in operation['parameters']
                       if self.resolve(p)['in'] == 'header'}
            self.assertEqual({microversion.HEADER}, headers)

    def test_every_fault_name(self):
        schema = self.document['components']['schemas']['Fault']
        # Nothing here conflicts (409): the API does not write.
        self.assertEqual(set(faults.FAULT_NAMES.values()) - {
            'conflictingRequest'} | {'computeFault'},
            set(schema['propertyNames']['enum']))

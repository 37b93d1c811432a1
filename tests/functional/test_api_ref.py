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

"""The API reference (api-ref/source) against the live application and the
OpenAPI document: every sample is what the application answers now, and
every parameter and field the reference names is in doc/api/openapi.yaml."""

import json
import os

from oslotest import base as oslotest_base
import yaml

from tests.functional import base
from tests.functional import data

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
API_REF = os.path.join(TOP, 'api-ref', 'source')
SAMPLES = os.path.join(API_REF, 'samples')
OPENAPI = os.path.join(TOP, 'doc', 'api', 'openapi.yaml')
P = data.PROJECT
SAMPLE_HOST = 'http://controller:8776'
# sample file: (request path, microversion, role, OpenAPI schema)
REQUESTS = {
    'versions-response.json': ('/', None, None, None),
    'version-native-response.json': ('/v3/%s/native' % P, None, None,
                                     None),
    'backups-list-response.json': (
        '/v3/%s/native/backups?limit=2&with_count=true' % P, '3.45', None,
        'BackupSummaryList'),
    'backups-list-detail-response.json': (
        '/v3/%s/native/backups/detail?limit=1' % P, '3.71', 'admin',
        'BackupDetailList'),
    'backup-show-response.json': (
        '/v3/%s/native/backups/%s' % (P, data.BACKUPS[0][0]['id']), '3.71',
        'admin', 'Backup'),
    'resource-filters-response.json': (
        '/v3/%s/resource_filters?resource=backup' % P, '3.71', None,
        'ResourceFilters'),
}


def _same(test, sample, live, where='$'):
    if sample is None or live is None:
        return
    if isinstance(sample, dict) or isinstance(live, dict):
        test.assertIsInstance(sample, dict, where)
        test.assertIsInstance(live, dict, where)
        test.assertEqual(list(live), list(sample), where)
        for key in sample:
            _same(test, sample[key], live[key], '%s.%s' % (where, key))
    elif isinstance(sample, list) or isinstance(live, list):
        test.assertIsInstance(sample, list, where)
        test.assertIsInstance(live, list, where)
        if sample and live:
            _same(test, sample[0], live[0], where + '[0]')
    else:
        test.assertEqual(type(live).__name__, type(sample).__name__, where)


def _load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


class SamplesTest(base.APITestCase):

    def test_every_sample_is_checked(self):
        self.assertEqual(sorted(REQUESTS), sorted(os.listdir(SAMPLES)))

    def test_samples_match_the_live_application(self):
        for name, (path, version, roles, _schema) in REQUESTS.items():
            response = self.get(path, version=version, roles=roles)
            self.assertIn(response.status, (200, 300), name)
            with open(os.path.join(SAMPLES, name)) as f:
                sample = json.load(f)
            _same(self, sample, response.json, name)
            # Links in samples name the documented host, nothing else.
            text = json.dumps(sample)
            self.assertNotIn(base.HOST, text, name)


class OpenAPIAgreementTest(oslotest_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.openapi = _load_yaml(OPENAPI)
        self.parameters = _load_yaml(os.path.join(API_REF,
                                                  'parameters.yaml'))

    def test_parameters_are_in_openapi(self):
        documented = {(parameter['name'], parameter['in'])
                      for parameter in
                      self.openapi['components']['parameters'].values()}
        # A query parameter named as a body field has the key
        # <name>_query.
        named = {(key.removesuffix('_query'), parameter['in'])
                 for key, parameter in self.parameters.items()
                 if parameter['in'] != 'body'}
        self.assertEqual(documented, named)

    def test_body_fields_are_in_openapi(self):
        schemas = self.openapi['components']['schemas']
        fields = set()
        for name in ('BackupSummary', 'BackupDetail', 'BackupSummaryList',
                     'BackupDetailList', 'Backup', 'Link'):
            fields.update(schemas[name].get('properties', {}))
        for key, parameter in self.parameters.items():
            if parameter['in'] == 'body' and not key.startswith('version'):
                self.assertIn(key, fields, key)
        for name in ('BackupDetail',):
            for field in schemas[name]['properties']:
                self.assertIn(field, self.parameters, field)

    def test_samples_follow_their_schema(self):
        schemas = self.openapi['components']['schemas']
        for name, (_path, _version, _roles, schema) in REQUESTS.items():
            if schema is None:
                continue
            with open(os.path.join(SAMPLES, name)) as f:
                sample = json.load(f)
            properties = schemas[schema]['properties']
            self.assertLessEqual(set(sample), set(properties), name)
            self.assertLessEqual(set(schemas[schema].get('required', ())),
                                 set(sample), name)

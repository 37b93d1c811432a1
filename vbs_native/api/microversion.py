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

"""Microversions: the one list of versions, the named versions that change
this API, and the middleware that negotiates the header."""

import functools

import microversion_parse
import os_service_types

from vbs_native import exception

SERVICE_TYPE = 'volume'
# Every name of the block-storage service in the service-types authority
# (block-storage, volumev3, volumev2, volume, block-store): clients send
# any of them (gophercloud: volumev3). `volume` is looked for first.
SERVICE_TYPES = tuple(sorted(
    os_service_types.ServiceTypes().get_all_types(SERVICE_TYPE),
    key=lambda name: name != SERVICE_TYPE))
HEADER = 'OpenStack-API-Version'
ENVIRON_KEY = '%s.microversion' % SERVICE_TYPE

# Cinder 29's whole range (3.0 to 3.71), so that a client which negotiated
# Cinder's maximum never gets a 406 from us.
VERSIONS = ['3.%d' % minor for minor in range(0, 72)]

# The versions at which this API changes
# (doc/source/reference/rest_api_version_history.rst).
BACKUP_PROJECT_ATTRIBUTE = (3, 18)  # os-backup-project-attr:project_id
RESOURCE_FILTERS = (3, 31)  # fuzzy filters; strict filter validation
RESOURCE_FILTERS_API = (3, 33)  # GET /resource_filters
BACKUP_SORT_NAME = (3, 37)  # sort by name
BACKUP_METADATA = (3, 43)  # metadata in detail and show
SUPPORT_COUNT_INFO = (3, 45)  # with_count
BACKUP_USER_ID = (3, 56)  # user_id in detail and show
ENCRYPTION_KEY_ID_IN_DETAILS = (3, 64)  # encryption_key_id

MIN_VERSION = VERSIONS[0]
MAX_VERSION = VERSIONS[-1]


def as_string(version):
    return '%d.%d' % tuple(version)


def response_headers(version):
    """The headers every response of a versioned request carries."""
    return [(HEADER, '%s %s' % (SERVICE_TYPE, version)),
            ('Vary', HEADER)]


def _service_type(headers):
    """The first of SERVICE_TYPES the header has an entry for."""
    for service_type in SERVICE_TYPES:
        if microversion_parse.get_version(headers, service_type) is not None:
            return service_type
    return SERVICE_TYPE


def extract(headers):
    """The requested version, validated; raise a 400 or 406 fault."""
    service_type = _service_type(headers)
    try:
        return microversion_parse.extract_version(
            headers, service_type, VERSIONS)
    except TypeError:
        raise exception.InvalidVersion(
            value=microversion_parse.get_version(headers, service_type))
    except ValueError:
        requested = microversion_parse.get_version(headers, service_type)
        raise exception.VersionNotSupported(
            version=microversion_parse.parse_version_string(requested),
            min_version=MIN_VERSION, max_version=MAX_VERSION)


_ENVIRON_HEADER = 'HTTP_OPENSTACK_API_VERSION'


@functools.lru_cache(maxsize=256)
def _negotiated(header):
    """The version and response headers for one value of the header (the
    only one ``extract`` reads), worked out once: clients send few."""
    version = extract({} if header is None else {_ENVIRON_HEADER: header})
    return version, response_headers(version)


class MicroversionMiddleware:
    """Negotiate the version, put it in the environ, echo it on the
    response. Faults raised below get the same headers from the fault
    middleware, which finds the version in the environ."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        version, extra = _negotiated(environ.get(_ENVIRON_HEADER))
        environ[ENVIRON_KEY] = version

        def versioned_start_response(status, headers, exc_info=None):
            return start_response(status, headers + extra, exc_info)

        return self.application(environ, versioned_start_response)


def filter_factory(global_conf, **local_conf):
    return MicroversionMiddleware

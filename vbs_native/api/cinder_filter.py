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

"""vbs-native inside Cinder's API: paste filters for Cinder's v3 pipelines.

``filter_factory`` goes just before ``apiv3``, after Cinder's auth filters.
It answers the native routes (``/v3[/{project_id}]/native/backups...``,
and Cinder's own ``/backups`` family for GET when ``[vbs_native]
cinder_routes`` is switched on) with the standalone service's router,
handlers, microversions and faults, and hands every other request to Cinder
untouched. The caller is the context Cinder built (``cinder.context``),
and nothing else: without one, 401.

``versions_filter_factory`` goes before Cinder's auth filter. It answers
only the version document at the native endpoint (``/v3[/{project_id}]/
native``), which openstacksdk reads before it authenticates: Cinder's auth
answers that request itself (noauth: 204, keystone: 401) before a filter
at the end of the pipeline sees it.

Options come from the files the paste section's ``config_file`` names
(default: vbs-native's usual /etc/vbs-native/vbs-native.conf), which may be
Cinder's own cinder.conf: the options have Cinder's names.
"""

import threading

from oslo_log import log as logging

from vbs_native.api import deploy
from vbs_native.api import families as route_families
from vbs_native.api import faults
from vbs_native.api import microversion
from vbs_native.api.middleware import auth
from vbs_native.api import router
from vbs_native import context as vbs_context
from vbs_native.db import engine as db_engine
from vbs_native import exception

LOG = logging.getLogger(__name__)

CINDER_CONTEXT = 'cinder.context'
# Cinder puts its request id on every response of a resource or fault.
COMPUTE_REQUEST_ID = 'x-compute-request-id'

_lock = threading.Lock()
_configs = {}


def _config(local_conf):
    """One ConfigOpts per set of config files, shared by both filters."""
    key = local_conf.get('config_file', '')
    with _lock:
        conf = _configs.get(key)
        if conf is None:
            conf = deploy.config_for(local_conf)
            # Cinder answers its own /backups routes unless told otherwise.
            conf.set_default('cinder_routes', False, group='vbs_native')
            db_engine.configure(conf)
            _configs[key] = conf
        return conf


class CinderContext(auth.ContextMiddleware):
    """Our context for the caller Cinder identified: ``cinder.context``,
    which Cinder's noauth and keystonecontext filters leave. Without it
    (the filter placed before them) there is no caller: request headers
    such as X-User-Id or X-Roles are the client's own until Cinder's auth
    filters have checked them. The version documents need no identity."""

    def make_context(self, environ):
        cinder_context = environ.get(CINDER_CONTEXT)
        if cinder_context is None or not cinder_context.user_id:
            raise exception.NotAuthenticated()
        if not cinder_context.project_id:
            raise exception.ProjectScopeRequired()
        return vbs_context.RequestContext.from_dict(
            cinder_context.to_dict(), is_admin=bool(cinder_context.is_admin),
            roles=list(cinder_context.roles),
            request_id=environ.get('openstack.request_id',
                                   cinder_context.request_id),
            enforcer=self.enforcer)


def _with_request_id(application):
    """Cinder's request id on our responses, as Cinder's resources carry it;
    x-openstack-request-id is added by Cinder's request_id filter."""
    def wrapped(environ, start_response):
        request_id = environ.get('openstack.request_id')

        def replier(status, headers, exc_info=None):
            if request_id and not any(name.lower() == COMPUTE_REQUEST_ID
                                      for name, _value in headers):
                headers = headers + [(COMPUTE_REQUEST_ID, request_id)]
            return start_response(status, headers, exc_info)

        return application(environ, replier)
    return wrapped


class NativeFilter:
    """The native routes inside Cinder's pipeline; the rest goes to Cinder.
    """

    def __init__(self, application, conf):
        self.cinder = application
        families = route_families.served(conf)
        # Only the routes that are ours: not /v3/ nor resource_filters, and
        # of Cinder's /backups paths only GET and HEAD.
        self.router = router.Router(
            conf, families, table=router.route_table(
                families, root_routes=False, project_routes=False),
            shared_families=(route_families.CINDER,))
        self.native = _with_request_id(faults.FaultWrapper(
            CinderContext(microversion.MicroversionMiddleware(self.router),
                          conf)))
        LOG.info('vbs-native answers %s inside the Cinder API',
                 ', '.join('%s/backups' % (family or '')
                           for family in families))

    def __call__(self, environ, start_response):
        if self.router.match(environ) is None:
            return self.cinder(environ, start_response)
        return self.native(environ, start_response)


class VersionsFilter:
    """The version document at the native endpoint, before Cinder's auth.
    """

    def __init__(self, application, conf):
        self.cinder = application
        # The native endpoint's routes, with and without the project.
        self.router = router.Router(conf, [], table=router.route_table(
            [], root_routes=False, project_routes=False))
        self.versions = _with_request_id(faults.FaultWrapper(self.router))

    def __call__(self, environ, start_response):
        if self.router.match(environ) is None:
            return self.cinder(environ, start_response)
        return self.versions(environ, start_response)


def filter_factory(global_conf, **local_conf):
    conf = _config(local_conf)
    return lambda app: NativeFilter(app, conf)


def versions_filter_factory(global_conf, **local_conf):
    conf = _config(local_conf)
    return lambda app: VersionsFilter(app, conf)

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

"""The route table, and dispatch from a path to a handler.

Routes are data: each resource path maps methods to handler functions. Every
backup path is served in each family (api/families.py), with and without
``/{project_id}``. A known path with another method answers 405 with
``Allow``; HEAD works wherever GET does. The routes where clients discover
versions are public: they need no identity (``is_public``).
"""

import re

import routes
import webob
import webob.dec

from vbs_native.api import checks
from vbs_native.api import deploy
from vbs_native.api import families as route_families
from vbs_native.api.handlers import backups
from vbs_native.api.handlers import resource_filters
from vbs_native.api.handlers import root
from vbs_native.api import json_body
from vbs_native.api import microversion
from vbs_native.api.views import links
from vbs_native import context as vbs_context
from vbs_native import exception

NATIVE = route_families.NATIVE
CINDER = route_families.CINDER
CONF_KEY = 'vbs_native.conf'

# Resource paths, relative to a project and a family.
BACKUP_ROUTES = {
    '/backups': {'GET': backups.list_summary},
    '/backups/detail': {'GET': backups.list_detail},
    '/backups/{backup_id}': {'GET': backups.show},
}
# Relative to a project only.
PROJECT_ROUTES = {
    '/resource_filters': {'GET': resource_filters.list_filters},
}
# Under /v3 itself; public.
ROOT_ROUTES = {
    '/': {'GET': root.get_version},
}
# The native endpoint itself (``/v3[/{project_id}]/native``), where
# openstacksdk looks for the version document before it authenticates;
# public.
DISCOVERY_ROUTES = {
    path: {'GET': root.get_native_version}
    for path in (NATIVE, NATIVE + '/')
}
_PUBLIC = {'public': True}


def route_table(families, root_routes=True, project_routes=True):
    """(path, {method: handler}, route facts) for every path served. The
    facts are ``family`` for a backup route, ``public`` for a route that
    needs no identity."""
    table = []
    if root_routes:
        table += [(path, methods, _PUBLIC)
                  for path, methods in ROOT_ROUTES.items()]
    for with_project in (False, True):
        prefix = '/{project_id}' if with_project else ''
        table += [(prefix + path, methods, _PUBLIC)
                  for path, methods in DISCOVERY_ROUTES.items()]
        for family in families:
            for path, methods in BACKUP_ROUTES.items():
                table.append((prefix + family + path, methods,
                              {'family': family}))
        if project_routes:
            for path, methods in PROJECT_ROUTES.items():
                table.append((prefix + path, methods, {}))
    return table


def _public_paths():
    """The paths of the public routes, any segment for a variable: a
    project that project_id_regex refuses is the router's 404, not a 401.
    ``''`` is /v3 itself, which the router sends to /v3/."""
    patterns = ['']
    for path, _methods, facts in route_table(()):
        if facts.get('public'):
            patterns.append('[^/]+'.join(
                re.escape(part) for part in re.split(r'\{\w+\}', path)))
    return re.compile('|'.join('^%s$' % pattern for pattern in patterns))


_public_match = _public_paths().match


def is_public(path_info):
    """Whether a path under /v3 is a public route's: one where clients
    discover versions, which they do before they authenticate."""
    return _public_match(path_info) is not None


class Request(webob.Request):
    """A request as the handlers see it."""

    @property
    def conf(self):
        return self.environ[CONF_KEY]

    @property
    def context(self):
        return self.environ[vbs_context.ENVIRON_KEY]

    @property
    def version(self):
        return self.environ[microversion.ENVIRON_KEY]

    @property
    def route(self):
        return self.environ['wsgiorg.routing_args'][1]


def _method_not_allowed(allowed):
    def handler(req):
        raise exception.MethodNotAllowed(allowed, method=req.method)
    handler.method_not_allowed = True
    return handler


class Router:

    def __init__(self, conf, families, table=None, shared_families=()):
        """``shared_families``: families whose paths are this router's for
        their methods only; other methods there are not its (no 405)."""
        self.conf = conf
        self.mapper = routes.Mapper()
        requirements = {'project_id': conf.project_id_regex}
        if table is None:
            table = route_table(families)
        for path, methods, facts in table:
            for method, handler in methods.items():
                verbs = [method, 'HEAD'] if method == 'GET' else [method]
                self.mapper.connect(path, action=handler,
                                    conditions={'method': verbs},
                                    requirements=requirements, **facts)
            if facts.get('family') in shared_families:
                continue
            allowed = sorted(set(methods) | ({'HEAD'} if 'GET' in methods
                                             else set()))
            self.mapper.connect(path,
                                action=_method_not_allowed(', '.join(allowed)),
                                requirements=requirements, **facts)

    def match(self, environ):
        """The route of a request, None when no route takes it."""
        return self.mapper.match(environ=environ)

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        path = checks.decode_path(req.environ.get('PATH_INFO', ''))
        if path == '':
            # /v3 -> /v3/, as Cinder: version discovery may start there.
            checks.check_read(req.environ)
            return webob.Response(status=302, location=(
                links.request_url(req, self.conf.public_endpoint) + '/' +
                links.query(req)))
        match = self.match(req.environ)
        if match is None:
            raise exception.NotFound()
        handler = match.pop('action')
        if not path.isascii():
            match = {key: checks.decode_path(value)
                     if isinstance(value, str) else value
                     for key, value in match.items()}
        req.environ['wsgiorg.routing_args'] = ((), match)
        req.environ[CONF_KEY] = self.conf
        return json_body.response(req.environ, handler(req))


def app_factory(global_conf, **local_conf):
    conf = deploy.config_for(local_conf)
    return Router(conf, route_families.served(conf))

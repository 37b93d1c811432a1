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

"""Who is calling: the request context, from keystonemiddleware's headers
or, in noauth mode, from headers the caller sets itself."""

from keystoneauth1 import exceptions as ksa_exceptions
from keystonemiddleware import auth_token
from oslo_log import log as logging

from vbs_native.api import deploy
from vbs_native.api import faults
from vbs_native.api import router
from vbs_native import context as vbs_context
from vbs_native import exception
from vbs_native import policy

LOG = logging.getLogger(__name__)


def _roles(value):
    return [role.strip() for role in value.split(',') if role.strip()]


class ContextMiddleware:
    """Sets the request context; ``make_context`` says who is calling."""

    def __init__(self, application, conf):
        self.application = application
        self.conf = conf
        self.enforcer = policy.make_enforcer(conf)

    def __call__(self, environ, start_response):
        # The public routes (the version documents) need no identity:
        # clients read them before they authenticate.
        if not router.is_public(environ.get('PATH_INFO', '')):
            try:
                environ[vbs_context.ENVIRON_KEY] = self.make_context(environ)
            except exception.VbsNativeException as exc:
                # Answered here rather than raised to faultwrap, so that the
                # response goes back through auth_token, which adds
                # WWW-Authenticate to a 401.
                return faults.from_exception(environ, exc)(environ,
                                                           start_response)
        return self.application(environ, start_response)

    def make_context(self, environ):
        raise NotImplementedError


class NoAuthMiddleware(ContextMiddleware):
    """Identity from ``X-Auth-Token: <user>:<project>``, or from
    ``X-User-Id`` with ``X-Project-Id``; roles from ``X-Roles``, or
    ``noauth_default_roles`` when that header is absent."""

    def __init__(self, application, conf):
        super().__init__(application, conf)
        self.default_roles = list(conf.noauth_default_roles)
        LOG.warning('auth_strategy is noauth: callers name themselves in '
                    'request headers. Use it for development only, never on '
                    'a network others can reach.')

    def make_context(self, environ):
        token = environ.get('HTTP_X_AUTH_TOKEN')
        if token is not None:
            user_id, _sep, project_id = token.partition(':')
        else:
            user_id = environ.get('HTTP_X_USER_ID', '')
            project_id = environ.get('HTTP_X_PROJECT_ID', '')
        if not user_id or not project_id:
            raise exception.NotAuthenticated()
        roles = environ.get('HTTP_X_ROLES')
        return vbs_context.RequestContext(
            user_id=user_id, project_id=project_id,
            roles=self.default_roles if roles is None else _roles(roles),
            request_id=environ.get('openstack.request_id'),
            global_request_id=environ.get('openstack.global_request_id'),
            enforcer=self.enforcer)


class KeystoneContext(ContextMiddleware):
    """The context from the headers keystonemiddleware's auth_token sets."""

    def make_context(self, environ):
        if environ.get('HTTP_X_IDENTITY_STATUS', 'Confirmed') != 'Confirmed':
            raise exception.NotAuthenticated()
        context = vbs_context.RequestContext.from_environ(
            environ, enforcer=self.enforcer)
        if not context.user_id:
            raise exception.NotAuthenticated()
        if not context.project_id:
            # The token is valid, so authenticating again would not help;
            # every route here needs a project.
            raise exception.ProjectScopeRequired()
        return context


def noauth_factory(global_conf, **local_conf):
    conf = deploy.config_for(local_conf)
    return lambda app: NoAuthMiddleware(app, conf)


def keystonecontext_factory(global_conf, **local_conf):
    conf = deploy.config_for(local_conf)
    return lambda app: KeystoneContext(app, conf)


# What auth_token catches when Keystone does not answer.
_KEYSTONE_UNAVAILABLE = (ksa_exceptions.ConnectFailure,
                         ksa_exceptions.DiscoveryFailure,
                         ksa_exceptions.RequestTimeout,
                         auth_token.ServiceError)


class AuthProtocol(auth_token.AuthProtocol):
    """keystonemiddleware's auth_token, but a token Keystone could not be
    asked about is a 503, as in Cinder, not an invalid token.

    With ``delay_auth_decision`` (so that keystonecontext answers the 401
    as a JSON fault), auth_token marks such a token invalid, and the caller
    would get a 401: clients then authenticate again instead of retrying.
    """

    def fetch_token(self, token, **kwargs):
        try:
            return super().fetch_token(token, **kwargs)
        except auth_token.InvalidToken as exc:
            # auth_token raises it while handling Keystone's failure.
            if isinstance(exc.__context__, _KEYSTONE_UNAVAILABLE):
                raise exception.IdentityServiceUnavailable() from exc
            raise


def authtoken_factory(global_conf, **local_conf):
    """keystonemiddleware's auth_token, reading ``[keystone_authtoken]``
    from the service's configuration."""
    conf = deploy.config_for(local_conf)
    options = dict(local_conf, oslo_config_config=conf)
    return lambda app: AuthProtocol(app, options)

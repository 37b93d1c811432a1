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

"""Domain exceptions. Each carries the HTTP status it maps to; the fault
middleware is the one place that turns them into responses."""


class VbsNativeException(Exception):
    """Base exception: ``msg_fmt`` is formatted with the keyword arguments.

    ``safe`` messages are shown to the caller; others are replaced by a
    generic text, so nothing internal leaks.
    """

    msg_fmt = 'An unknown exception occurred.'
    code = 500
    safe = False
    headers = None

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            message = self.msg_fmt % kwargs
        self.message = message
        super().__init__(message)


class Invalid(VbsNativeException):
    msg_fmt = 'Invalid input received: %(reason)s'
    code = 400
    safe = True


class InvalidParameter(Invalid):
    """A bad query parameter, with a message meant for the caller as is."""

    msg_fmt = '%(reason)s'


class BodyNotAllowed(Invalid):
    msg_fmt = 'A %(method)s request takes no body.'


class MalformedRequestUrl(Invalid):
    msg_fmt = 'Malformed request url'


class InvalidHost(Invalid):
    msg_fmt = ('The host the request names (Host, or a forwarded host or '
               'scheme) is not a valid host[:port].')


class NotAuthenticated(VbsNativeException):
    msg_fmt = 'Authentication required'
    code = 401
    safe = True


class PolicyNotAuthorized(VbsNativeException):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."
    code = 403
    safe = True


class ProjectScopeRequired(VbsNativeException):
    """A valid token that names no project: unscoped, or scoped to a
    domain or to the system."""

    msg_fmt = 'A token scoped to a project is required.'
    code = 403
    safe = True


class NotFound(VbsNativeException):
    msg_fmt = 'The resource could not be found.'
    code = 404
    safe = True


class BackupNotFound(NotFound):
    msg_fmt = 'Backup %(backup_id)s could not be found.'


class MethodNotAllowed(VbsNativeException):
    msg_fmt = 'The method %(method)s is not allowed for this resource.'
    code = 405
    safe = True

    def __init__(self, allowed, **kwargs):
        super().__init__(**kwargs)
        self.headers = {'Allow': allowed}


class VersionNotSupported(VbsNativeException):
    msg_fmt = ('Version %(version)s is not supported by the API. Minimum is '
               '%(min_version)s and maximum is %(max_version)s.')
    code = 406
    safe = True


class InvalidVersion(VbsNativeException):
    msg_fmt = ('Invalid OpenStack-API-Version header %(value)r: the version '
               'must be of the form MajorNum.MinorNum or "latest".')
    code = 400
    safe = True


class ServiceUnavailable(VbsNativeException):
    """A service this one needs does not answer: the client should retry."""

    code = 503
    safe = True
    headers = {'Retry-After': '5'}


class DatabaseUnavailable(ServiceUnavailable):
    msg_fmt = 'The database is unavailable. Try again later.'


class IdentityServiceUnavailable(ServiceUnavailable):
    """Keystone did not answer while a token was being validated."""

    msg_fmt = 'The Keystone service is temporarily unavailable.'


class RefusedToStart(VbsNativeException):
    """A configuration the service will not serve with."""


class NoauthExposed(RefusedToStart):
    msg_fmt = ('auth_strategy is noauth, where every caller names its own '
               'identity: refusing to serve %(where)s. Set auth_strategy = '
               'keystone, listen on a loopback address, or, for tests only, '
               'set [DEFAULT] noauth_allow_non_loopback = true.')


class KeystoneNotConfigured(RefusedToStart):
    msg_fmt = ('auth_strategy is keystone, but [keystone_authtoken] sets '
               'neither auth_type nor auth_section: no token could be '
               'validated, and every request with one would fail. Configure '
               '[keystone_authtoken] (auth_type, auth_url, '
               'www_authenticate_uri and the service user), or, for '
               'development, set auth_strategy = noauth.')


class NotWritable(VbsNativeException):
    msg_fmt = ('Refusing to write to %(url)s: it was not created by '
               'vbs-native-manage db sync.')


class RequestTooLarge(VbsNativeException):
    # No configuration value in a fault (CONTRACT.md section 5): the limit
    # is in the log, not in the message.
    msg_fmt = 'The request body is too large.'
    code = 413
    safe = True


class UnsupportedMediaType(VbsNativeException):
    msg_fmt = 'Unsupported Content-Type'
    code = 415
    safe = True

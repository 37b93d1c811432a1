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

"""oslo.middleware pieces, configured from the service's ConfigOpts."""

from oslo_context import context
from oslo_log import log as logging
from oslo_middleware import healthcheck
from oslo_middleware.healthcheck import opts as healthcheck_opts
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
from oslo_middleware import sizelimit
import webob.dec

from vbs_native.api import checks
from vbs_native.api import deploy
from vbs_native.api import faults
from vbs_native import exception

LOG = logging.getLogger(__name__)


def _filter(middleware_class):
    def factory(global_conf, **local_conf):
        conf = deploy.config_for(local_conf)
        return lambda app: middleware_class(app, conf)
    return factory


class RequestBodySizeLimiter(sizelimit.RequestBodySizeLimiter):
    """oslo's limiter, whose 413 is webob's text or HTML page; raise ours
    instead, which the fault middleware answers as a JSON fault."""

    @webob.dec.wsgify
    def __call__(self, req):
        max_size = self._conf_get('max_request_body_size')
        if req.content_length is not None and req.content_length > max_size:
            raise exception.RequestTooLarge(max_size=max_size)
        return super().__call__(req)


class CurrentContext:
    """Runs inside oslo's RequestId, once the request has its id.

    oslo.log prints the ids of the thread's current context. A context that
    holds only the request ids becomes the current one first, so that every
    line logged for this request carries them, and none is logged under the
    previous request's ids and user; the auth middleware replaces it with
    the caller's. The access log is the ``requestlog`` filter.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        context.RequestContext(
            request_id=environ[request_id.ENV_REQUEST_ID],
            global_request_id=environ.get(request_id.GLOBAL_REQ_ID))
        return self.application(environ, start_response)


class RequestId(request_id.RequestId):
    """oslo's request id, its inbound global id and its response header,
    without wrapping request and response in webob objects (about 6% of a
    summary page's time in-process): the header is added as the response
    starts."""

    def __call__(self, environ, start_response):
        self.set_global_req_id(webob.Request(environ))
        req_id = context.generate_request_id()
        environ[request_id.ENV_REQUEST_ID] = req_id
        names = [request_id.HTTP_RESP_HEADER_REQUEST_ID] + list(
            self.compat_headers)

        def with_id(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            return start_response(status, list(headers) + [
                (name, req_id) for name in names
                if name.lower() not in present], exc_info)
        return self.application(environ, with_id)


def request_id_factory(global_conf, **local_conf):
    conf = deploy.config_for(local_conf)
    return lambda app: RequestId(CurrentContext(app), conf)


class _WhenNeeded:
    """An oslo.middleware filter, called only for requests it has work to
    do on. Each wraps request and response in webob objects, about 0.1 ms
    per request, even when it then does nothing."""

    def __init__(self, application, middleware, needed):
        self.application = application
        self.middleware = middleware
        self.needed = needed

    def __call__(self, environ, start_response):
        if self.needed(self.middleware, environ):
            return self.middleware(environ, start_response)
        return self.application(environ, start_response)


def _when_needed(middleware_class, needed):
    def factory(global_conf, **local_conf):
        conf = deploy.config_for(local_conf)
        return lambda app: _WhenNeeded(app, middleware_class(app, conf),
                                       needed)
    return factory


def _parsing_proxy_headers(middleware, environ):
    # The option as the middleware itself reads it, on every request.
    return middleware._conf_get('enable_proxy_headers_parsing')


def _declares_body(middleware, environ):
    # Without a declared length the limiter only wraps wsgi.input, which
    # this service never reads; with one it may answer 413.
    return environ.get('CONTENT_LENGTH') not in (None, '', '0')


class HTTPProxyToWSGI(http_proxy_to_wsgi.HTTPProxyToWSGI):
    """oslo's, but with ``public_endpoint`` set, links come from it alone:
    its path is the public prefix already, and X-Forwarded-Prefix would put
    it in front a second time."""

    def __init__(self, application, conf):
        super().__init__(application, conf)
        self.public_endpoint = conf.public_endpoint

    def process_request(self, req):
        if self.public_endpoint:
            req.environ.pop('HTTP_X_FORWARDED_PREFIX', None)
        return super().process_request(req)


http_proxy_to_wsgi_factory = _when_needed(
    HTTPProxyToWSGI, _parsing_proxy_headers)
sizelimit_factory = _when_needed(RequestBodySizeLimiter, _declares_body)


class _HealthcheckPath:
    """The healthcheck answers its own path, GET and HEAD only: anything
    else is the 404 or 405 fault of any other path (answered here, so that
    a paste file without faultwrap in this pipeline still gets it)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            if environ.get('PATH_INFO', ''):
                raise exception.NotFound()
            checks.check_read(environ)
        except exception.VbsNativeException as error:
            return faults.from_exception(environ, error)(environ,
                                                         start_response)
        return self.application(environ, start_response)


def healthcheck_factory(global_conf, **local_conf):
    conf = deploy.config_for(local_conf)
    # 503 while the database does not answer, unless [healthcheck] backends
    # says otherwise (an operator who adds disable_by_file lists it too).
    conf.register_opts(healthcheck_opts.HEALTHCHECK_OPTS, group='healthcheck')
    conf.set_default('backends', ['database'], group='healthcheck')
    return _HealthcheckPath(healthcheck.Healthcheck(None, conf))

"""oslo.middleware pieces, configured from the service's ConfigOpts."""

from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
from oslo_middleware import sizelimit

from vbs_native.api import deploy


def _filter(middleware_class):
    def factory(global_conf, **local_conf):
        conf = deploy.config_for(local_conf)
        return lambda app: middleware_class(app, conf)
    return factory


request_id_factory = _filter(request_id.RequestId)
http_proxy_to_wsgi_factory = _filter(http_proxy_to_wsgi.HTTPProxyToWSGI)
sizelimit_factory = _filter(sizelimit.RequestBodySizeLimiter)


def healthcheck_factory(global_conf, **local_conf):
    conf = deploy.config_for(local_conf)
    return healthcheck.Healthcheck(None, conf)

"""GET /resource_filters: the filters this service accepts (from 3.33)."""

from vbs_native.api.handlers import backups
from vbs_native.api import microversion as mv
from vbs_native.api import params
from vbs_native import exception
from vbs_native.policies import backups as policies


def list_filters(req):
    req.context.can(policies.GET_ALL)
    scope = backups.Scope(req)
    if not req.version.matches(mv.RESOURCE_FILTERS_API):
        raise exception.NotFound()
    resource = req.GET.get('resource')
    if resource not in (None, 'backup'):
        return {'resource_filters': []}
    filters = list(params.EXACT_FILTERS)
    if req.version.matches(mv.RESOURCE_FILTERS):
        filters += list(params.FUZZY_FILTERS)
    if scope.all_projects:
        filters.append('project_id')
    return {'resource_filters': [{'resource': 'backup',
                                  'filters': filters}]}

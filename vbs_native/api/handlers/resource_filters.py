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

"""GET /resource_filters: the filters this service accepts (from 3.33)."""

from vbs_native.api import checks
from vbs_native.api.handlers import backups
from vbs_native.api import microversion as mv
from vbs_native.api import params
from vbs_native import exception
from vbs_native.policies import backups as policies


def list_filters(req):
    req.context.can(policies.GET_ALL)
    checks.check_body(req.environ)
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

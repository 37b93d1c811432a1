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

"""GET backups: summary list, detail list, show. Each handler checks policy
first, then its parameters, then asks the DB API, then renders a view."""

from vbs_native.api import checks
from vbs_native.api import params as list_params
from vbs_native.api.views import backups as views
from vbs_native.api.views import links as view_links
from vbs_native.db import api as db_api
from vbs_native import exception
from vbs_native.policies import backups as policies


class Scope:
    """Which project a request is about, and whether the caller may see
    every project (asked of the policy once, and only if it matters)."""

    def __init__(self, req):
        self.context = req.context
        self.url_project = req.route.get('project_id')
        self._all_projects = None
        if (self.url_project is not None
                and self.url_project != self.context.project_id
                and not self.all_projects):
            # As Cinder: a project in the URL must be the caller's own.
            raise exception.MalformedRequestUrl()
        self.project_id = self.url_project or self.context.project_id

    @property
    def all_projects(self):
        if self._all_projects is None:
            self._all_projects = self.context.can(
                policies.GET_ALL_PROJECTS, fatal=False)
        return self._all_projects

    @property
    def visible_project(self):
        """The project rows must belong to, None for every project."""
        return None if self.all_projects else self.context.project_id


def _links(req, scope):
    return view_links.Links(view_links.base(req, req.conf.public_endpoint),
                            req.route['family'], scope.url_project)


def _detail_view(req, metadata):
    return views.Detail(req.version, _shows_owner(req.context), metadata)


def _shows_owner(context):
    """Whether the caller may see a backup's owner ids: checked against the
    backup, as backup:get is, so that an owner-scoped rule hides another
    user's ids (Cinder checks the caller here and shows them). Asked once
    per page when the rule checks the caller alone (the default: admin),
    else once per owner (a check costs about as much as rendering the
    row)."""
    per_owner = context.rule_reads_target(policies.PROJECT_ATTRIBUTE)
    answers = {}

    def shows(row):
        key = (row.project_id, row.user_id) if per_owner else None
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = context.can(
                policies.PROJECT_ATTRIBUTE, _target(row), fatal=False)
        return answer
    return shows


def _target(row):
    return {'project_id': row.project_id, 'user_id': row.user_id}


def _list(req, detail):
    req.context.can(policies.GET_ALL)
    checks.check_body(req.environ)
    scope = Scope(req)
    query = list_params.parse(req.GET, req.version, req.conf.osapi_max_limit,
                              scope, detail)
    links = _links(req, scope)

    page = db_api.read(req.context, db_api.backup_list, req.context, query)
    if detail:
        render = _detail_view(req, page.metadata)
        items = [render(row, links) for row in page.rows]
    else:
        items = views.summaries(page.rows, links)
    next_links = None
    if page.more:
        next_links = links.next(req.GET.items(), detail, page.rows[-1].id)
    return views.list_view(items, next_links, page.count)


def list_summary(req):
    return _list(req, detail=False)


def list_detail(req):
    return _list(req, detail=True)


def show(req):
    context = req.context
    # A caller who may see no backup learns nothing, not even whether one
    # exists; then, as Cinder, the rule is checked against the backup, so
    # that an owner-scoped rule (user_id:%(user_id)s) works.
    context.can(policies.GET)
    checks.check_body(req.environ)
    scope = Scope(req)

    def read():
        row = db_api.backup_get(context, req.route['backup_id'],
                                project_id=scope.visible_project)
        context.can(policies.GET, _target(row))
        metadata = None
        if req.version.matches(views.mv.BACKUP_METADATA):
            metadata = db_api.backup_metadata(context, [row.id])
        return row, metadata
    row, metadata = db_api.read(context, read)
    return {'backup': _detail_view(req, metadata)(row, _links(req, scope))}

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

"""The least a first summary page takes on the stack the customer fixed,
served as vbs-native is: the same vbs-native-api (gunicorn worker,
oslo.log), the same paste pipeline (request id, access log, faults, proxy
headers, auth, microversion, size limit) and router, but a summary handler
that does only what every page needs: the policy check, one oslo.db read of
the page's statement (built once, with the service's table hint), and its
items and next link as plain dicts for the router's JSON. None of the
service's parameters, statements, view or links.

run.py serves it (paste ``[app:apiv3]`` pointed at ``app_factory``) next to
vbs-native at the reference size: its summary-50 is what vbs-native could
reach there with no work of its own.
"""

import sqlalchemy as sa

from vbs_native.api import deploy
from vbs_native.api import families
from vbs_native.api import router
from vbs_native.db import backend as db_backend
from vbs_native.db import engine as db_engine
from vbs_native.db import models
from vbs_native.policies import backups as policies

LIMIT = 50
_statements = {}


def first_page(connection, project_id):
    """The statement of a first summary page of ``project_id``, built once:
    ordered as the service orders it, with the service's table hint."""
    statement = _statements.get(project_id)
    if statement is None:
        backups = models.backups
        created = backups.c.created_at.desc()
        if connection.dialect.name == 'postgresql':
            # As the service orders the nullable column there, which the
            # index's NULLS FIRST answers backwards; plain DESC sorts.
            created = created.nulls_last()
        statement = (sa.select(backups.c.id, backups.c.display_name)
                     .where(backups.c.deleted == sa.false(),
                            backups.c.project_id == sa.bindparam('p'))
                     .order_by(created, backups.c.id.desc())
                     .limit(LIMIT + 1))
        hint = db_backend.for_connection(connection).table_hint(
            connection, project_id, [('created_at', True), ('id', True)], [])
        if hint:
            statement = statement.with_hint(backups, hint)
        _statements[project_id] = statement
    return statement


def summary(req):
    context = req.context
    context.can(policies.GET_ALL)
    with db_engine.main_context_manager.reader.connection.using(
            context) as connection:
        project_id = req.route['project_id']
        rows = connection.execute(first_page(connection, project_id),
                                  {'p': project_id}).all()
    return page_body(rows, req.path_url)


def page_body(rows, collection):
    """The page of ``rows`` (up to LIMIT + 1) at ``collection``'s URL as
    plain dicts: items with their two links, and a next link when another
    page follows."""
    own = collection + '/'
    bookmark = collection.replace('/v3/', '/', 1) + '/'
    page = rows[:LIMIT]
    result = {'backups': [
        {'id': row[0], 'name': row[1], 'links': [
            {'rel': 'self', 'href': own + row[0]},
            {'rel': 'bookmark', 'href': bookmark + row[0]}]}
        for row in page]}
    if len(rows) > LIMIT:
        result['backups_links'] = [{
            'rel': 'next', 'href': '%s?limit=%d&marker=%s' % (
                collection, LIMIT, page[-1][0])}]
    return result


def app_factory(global_conf, **local_conf):
    conf = deploy.config_for(local_conf)
    served = families.served(conf)
    table = []
    for path, methods, facts in router.route_table(served):
        if 'family' in facts and path.endswith(facts['family'] + '/backups'):
            methods = dict(methods, GET=summary)
        table.append((path, methods, facts))
    return router.Router(conf, served, table=table)

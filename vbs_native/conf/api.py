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

"""Options of the API service. Names follow Cinder's where Cinder has one,
so an operator's values carry over."""

from oslo_config import cfg

api_opts = [
    cfg.HostAddressOpt('osapi_volume_listen',
                       default='127.0.0.1',
                       help='IP address on which the API listens.'),
    cfg.PortOpt('osapi_volume_listen_port',
                default=8776,
                help='Port on which the API listens.'),
    cfg.IntOpt('osapi_volume_workers',
               min=1,
               help='Number of worker processes. Default: the number of '
                    'CPUs.'),
    cfg.StrOpt('auth_strategy',
               default='keystone',
               choices=[('noauth', 'identity from request headers; for '
                                   'development and tests, on a loopback '
                                   'address'),
                        ('keystone', 'keystonemiddleware auth_token')],
               help='How requests are authenticated.'),
    cfg.BoolOpt('noauth_allow_non_loopback',
                default=False,
                help='Allow auth_strategy = noauth on an address that is '
                     'not loopback. For tests only: every caller names its '
                     'own identity. Under a WSGI server '
                     '(vbs_native.wsgi.api), whose address the service '
                     'cannot know, noauth needs this option.'),
    cfg.ListOpt('noauth_default_roles',
                default=['reader', 'member'],
                help='Roles of a noauth caller who sends no X-Roles header.'),
    cfg.IntOpt('osapi_max_limit',
               default=1000,
               min=1,
               help='The maximum number of items a list request returns.'),
    cfg.URIOpt('public_endpoint',
               help='Public URL used in links instead of the request\'s '
                    'host, for a service behind a proxy.'),
    cfg.StrOpt('project_id_regex',
               default=r'[0-9a-f\-]+',
               help='Regular expression a project id in a URL must match.'),
    cfg.IntOpt('client_socket_timeout',
               default=10,
               min=0,
               help='Seconds vbs-native-api gives a client to send its '
                    'whole request head (request line and headers), from '
                    'when it accepts the connection; then the longest it '
                    'waits for each later read or write on the connection. '
                    'A client too slow is disconnected; 0 waits forever. '
                    'Each gunicorn sync worker serves one connection at a '
                    'time, so a slow client holds a worker this long: keep '
                    'it short, and on an open network put a buffering '
                    'reverse proxy in front (HAProxy with timeout '
                    'http-request). (Cinder has the same option, default '
                    '900, for its eventlet server.)'),
    cfg.StrOpt('api_paste_config',
               default='api-paste.ini',
               help='File name of the paste deploy configuration. Relative '
                    'names are looked up next to the config files, then in '
                    'the installed etc/vbs_native.'),
]

vbs_native_opts = [
    cfg.BoolOpt('cinder_routes',
                default=True,
                help='Also answer Cinder\'s own /backups routes, besides '
                     '/native/backups. Off by default inside Cinder\'s '
                     'pipeline, where Cinder answers them.'),
    cfg.IntOpt('database_timeout',
               default=10,
               min=1,
               help='The longest a request waits for the database, in '
                    'seconds, at each step: for a pooled connection '
                    '(the default of [database] pool_timeout), to connect, '
                    'and for each read or write on the connection (MySQL/'
                    'MariaDB: connect_timeout, read_timeout and '
                    'write_timeout; PostgreSQL: connect_timeout and '
                    'statement_timeout). A request that waits longer gets '
                    '503 serviceUnavailable with Retry-After. Values given '
                    'in [database] connection or connection_parameters win.'),
]


def register_opts(conf):
    conf.register_opts(api_opts)
    conf.register_opts(vbs_native_opts, group='vbs_native')


def list_opts():
    return {'DEFAULT': api_opts, 'vbs_native': vbs_native_opts}

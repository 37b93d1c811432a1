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

"""The module a WSGI server loads: ``vbs_native.wsgi.api:application``.

Under a WSGI server there is no ``--config-file``: the configuration is
/etc/vbs-native/vbs-native.conf (and the other oslo.config defaults), or
vbs-native.conf in the directory VBS_NATIVE_CONFIG_DIR names.
"""

from vbs_native import wsgi

application = wsgi.init_application()

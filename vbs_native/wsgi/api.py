"""The module a WSGI server loads: ``vbs_native.wsgi.api:application``.

Under a WSGI server there is no ``--config-file``: the configuration is
/etc/vbs-native/vbs-native.conf (and the other oslo.config defaults), or
vbs-native.conf in the directory VBS_NATIVE_CONFIG_DIR names.
"""

from vbs_native import wsgi

application = wsgi.init_application()

"""Route families: the backup paths are served under ``/native`` and,
unless ``[vbs_native] cinder_routes`` is off, under Cinder's own."""

NATIVE = '/native'
CINDER = ''


def served(conf):
    """The families ``conf`` switches on, the native one first."""
    return [NATIVE] + ([CINDER] if conf.vbs_native.cinder_routes else [])

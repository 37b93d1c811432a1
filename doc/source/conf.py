"""Sphinx configuration of the vbs-native documentation."""

project = 'vbs-native'
copyright = 'vbs-native contributors'

extensions = [
    'openstackdocstheme',
    'oslo_config.sphinxext',
    'oslo_policy.sphinxext',
]

# openstackdocstheme
openstackdocs_repo_name = 'vbs-native'
openstackdocs_use_storyboard = False
openstackdocs_auto_name = False
openstackdocs_bug_project = 'vbs-native'
openstackdocs_bug_tag = 'doc'

master_doc = 'index'
exclude_patterns = []
pygments_style = 'native'
html_theme = 'openstackdocs'
html_static_path = []

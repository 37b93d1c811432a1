"""Sphinx configuration of the vbs-native release notes (reno)."""

project = 'vbs-native Release Notes'
copyright = 'vbs-native contributors'

extensions = [
    'openstackdocstheme',
    'reno.sphinxext',
]

openstackdocs_repo_name = 'vbs-native'
openstackdocs_use_storyboard = False
openstackdocs_auto_name = False
openstackdocs_bug_project = 'vbs-native'
openstackdocs_bug_tag = 'releasenotes'

master_doc = 'index'
exclude_patterns = []
pygments_style = 'native'
html_theme = 'openstackdocs'
html_static_path = []

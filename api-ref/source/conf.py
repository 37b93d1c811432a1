"""Sphinx configuration of the vbs-native API reference (os-api-ref)."""

project = 'vbs-native API Reference'
copyright = 'vbs-native contributors'

extensions = [
    'os_api_ref',
    'openstackdocstheme',
]

openstackdocs_repo_name = 'vbs-native'
openstackdocs_use_storyboard = False
openstackdocs_auto_name = False
openstackdocs_bug_project = 'vbs-native'
openstackdocs_bug_tag = 'api-ref'

html_theme = 'openstackdocs'
html_theme_options = {'sidebar_mode': 'toc'}
master_doc = 'index'
pygments_style = 'native'

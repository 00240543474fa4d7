"""Custom Rasa NLU graph components, referenced by name from config.yml.

Importing the package also installs the faster check of action-server replies
(components/action_response_check.py), since every Rasa process that loads our model imports it.
"""

from components.action_response_check import install as _install_action_response_check

_install_action_response_check()

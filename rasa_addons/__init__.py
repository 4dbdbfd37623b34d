"""Code the Rasa server itself loads (named in config.yml and endpoints.yml), kept apart from bot/ and actions/.

Importing the package (Rasa does, for the NLU component of config.yml) installs the faster check of action-server
responses (rasa_addons/action_validation.py).
"""

from rasa_addons import action_validation

action_validation.install()

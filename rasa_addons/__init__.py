"""Code the Rasa server itself loads (named in config.yml and endpoints.yml), kept apart from bot/ and actions/.

Importing the package (Rasa does, for the NLU component of config.yml and the tracker store of endpoints.yml) installs
the patches of Rasa, each with the reason in its module: the faster check of action-server responses
(action_validation), the table of event classes (event_types) and the session length of SESSION_MINUTES
(session_length).
"""

from rasa_addons import action_validation, event_types, session_length

action_validation.install()
event_types.install()
session_length.install()

"""Code the Rasa server itself loads (named in endpoints.yml), kept apart from the bot library and the actions."""

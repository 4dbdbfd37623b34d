"""Code the Rasa server itself loads (named in config.yml and endpoints.yml), kept apart from bot/ and actions/."""

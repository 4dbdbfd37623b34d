"""The safe-migration service's own library: storage, privacy, language, SMS rules and the Rasa client."""

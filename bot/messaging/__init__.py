"""The gateway: inbound messages to answers (keywords, hotline handoff, Rasa), rendering, delivery and retries."""

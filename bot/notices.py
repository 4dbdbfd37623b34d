"""Fixed system notices the gateway sends without asking the bot."""

EMPTY_MESSAGE = "Please write your question as text, for example: how much should I pay to go to Saudi Arabia?"
SERVICE_DOWN = "Sorry, we cannot answer right now. Your message is saved and we will reply soon."

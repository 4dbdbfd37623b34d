"""One small adapter per channel: verify the request, parse it into an InboundMessage, hand it to the dispatcher."""

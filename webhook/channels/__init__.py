"""One module per channel: verify the request, turn it into an InboundMessage, render the replies."""

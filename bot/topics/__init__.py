"""What the bot knows: fee ceilings, the red-flag self-check, and the registry of licensed agencies."""

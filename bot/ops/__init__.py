"""Running the service: processes, training, health, metrics, structured logs and request ids."""

"""Rules: the registry and one module per rule family."""

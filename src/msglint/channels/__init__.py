"""One module per channel: builds a message's parts, limits and metrics."""

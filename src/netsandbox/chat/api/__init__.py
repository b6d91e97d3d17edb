"""The chat API's routes, one module per resource."""

"""The echo service's routes, one module per group of httpbin's endpoints."""

"""netsandbox: servers and reference clients for learning the client side of networking.

Importing this package stays light (no web stack) so that TCP services start in milliseconds.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

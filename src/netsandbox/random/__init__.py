"""random (HTTP 3003): a small web API that answers JSON arrays of random numbers.

Import it as ``netsandbox.random``; inside this package the standard library's ``random``
is still reached by absolute imports (``from random import Random``).
"""

DEFAULT_PORT = 3003
DESCRIPTION = "web API answering JSON arrays of random numbers (/api/random/int?n=20)"

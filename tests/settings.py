"""The settings the tests run with: the project's, with a key of their own.

``portal.settings`` refuses to start without ``SECRET_KEY`` unless ``DEBUG`` is
on; the tests run with ``DEBUG`` off, as production does, and so set a key.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-never-used-in-production")

from portal.settings import *  # noqa: F403

# Visitors' rate limits count per address, and every test client is 127.0.0.1:
# off here, on in the tests of them (tests/security/test_dos.py).
PUBLIC_PDF_RATE = ""
PUBLIC_API_RATE = ""

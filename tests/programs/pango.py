"""Skip PDF tests cleanly where WeasyPrint cannot load Pango and friends."""

from __future__ import annotations

import pytest

try:
    import weasyprint  # noqa: F401

    HAVE_WEASYPRINT = True
except (ImportError, OSError):  # OSError: the system libraries are missing
    HAVE_WEASYPRINT = False

needs_weasyprint = pytest.mark.skipif(
    not HAVE_WEASYPRINT, reason="WeasyPrint cannot load its system libraries (Pango)"
)

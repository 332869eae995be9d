"""Every read of the complaints app, scoped to who is asking (STYLE.md: selectors).

- ``scope``: which reports and dispositions an actor may see, identity hiding, search;
- ``public``: the public list, detail and statistics (public versions only);
- ``similar``: similar reports shown before submitting.

Re-exported here, so callers write ``from complaints.selectors import …``.
"""

from complaints.selectors.scope import (
    PUBLIC_FIELDS,
    complaints_for,
    complaints_search,
    dispositions_for,
    public_reports,
    reporter_identity_for,
)

__all__ = [
    "PUBLIC_FIELDS",
    "complaints_for",
    "complaints_search",
    "dispositions_for",
    "public_reports",
    "reporter_identity_for",
]

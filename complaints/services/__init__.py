"""Every write of the complaints app (STYLE.md: services). One module per subject:

- ``reports``: the life cycle of a report (intake, verification, transitions, anonymising);
- ``tracking``: what a reporter does on their report (access codes, rating);
- ``citizens``: citizen accounts.

The names are re-exported here, so callers write ``from complaints.services import …``.
"""

from complaints.services.citizens import *  # noqa: F403
from complaints.services.citizens import __all__ as _citizens_all
from complaints.services.reports import *  # noqa: F403
from complaints.services.reports import __all__ as _reports_all
from complaints.services.tracking import *  # noqa: F403
from complaints.services.tracking import __all__ as _tracking_all

__all__ = [*_reports_all, *_citizens_all, *_tracking_all]

"""Every read of the complaints app, scoped to who is asking (STYLE.md: selectors).

- ``scope``: which reports and dispositions an actor may see, identity hiding, search;
- ``public``: the public list, detail and statistics (public versions only);
- ``similar``: similar reports shown before submitting.

Re-exported here, so callers write ``from complaints.selectors import …``.
"""

from complaints.selectors.public import (
    FilterOptions,
    PublicDetail,
    PublicPage,
    Statistics,
    headline_figures,
    latest_public_reports,
    public_filter_options,
    public_original_of,
    public_report_detail,
    public_report_page,
    public_reports_filtered,
    public_search_terms,
    public_statistics,
    sla_summary,
    statistics_years,
)
from complaints.selectors.scope import (
    PUBLIC_FIELDS,
    complaints_for,
    complaints_search,
    dispositions_for,
    public_reports,
    reporter_identity_for,
)
from complaints.selectors.similar import similar_reports
from complaints.selectors.tracking import (
    STATUS_GUIDE,
    TrackingView,
    tracking_complaint,
    tracking_view,
)

__all__ = [
    "FilterOptions",
    "PublicDetail",
    "PublicPage",
    "Statistics",
    "headline_figures",
    "latest_public_reports",
    "public_filter_options",
    "public_original_of",
    "public_report_detail",
    "public_report_page",
    "public_reports_filtered",
    "public_search_terms",
    "public_statistics",
    "sla_summary",
    "statistics_years",
    "PUBLIC_FIELDS",
    "complaints_for",
    "complaints_search",
    "dispositions_for",
    "public_reports",
    "reporter_identity_for",
    "similar_reports",
    "STATUS_GUIDE",
    "TrackingView",
    "tracking_complaint",
    "tracking_view",
]

"""One report for staff: its page, its files, and Admin Kabupaten's actions on it."""

from django.urls import path

from disposition.views import report

urlpatterns = [
    path("laporan/<str:tracking_number>/", report.report_detail, name="report_detail"),
    path("lampiran/<int:attachment_id>/", report.attachment, name="attachment"),
    path("laporan/<str:tracking_number>/verifikasi/", report.report_verify, name="report_verify"),
    path(
        "laporan/<str:tracking_number>/minta-informasi/",
        report.report_request_info,
        name="report_request_info",
    ),
    path("laporan/<str:tracking_number>/arsipkan/", report.report_archive, name="report_archive"),
    path(
        "laporan/<str:tracking_number>/duplikat/",
        report.report_mark_duplicate,
        name="report_mark_duplicate",
    ),
    path(
        "laporan/<str:tracking_number>/disposisi/",
        report.report_disposition,
        name="report_disposition",
    ),
    path("laporan/<str:tracking_number>/eskalasi/", report.report_escalate, name="report_escalate"),
    path(
        "laporan/<str:tracking_number>/hubungkan-lapor/",
        report.report_link_lapor,
        name="report_link_lapor",
    ),
    path("laporan/<str:tracking_number>/sifat/", report.report_set_flags, name="report_set_flags"),
    path(
        "laporan/<str:tracking_number>/anonimkan/",
        report.report_anonymise,
        name="report_anonymise",
    ),
]

"""Admin Kabupaten's inbox and the staff entry of a report."""

from django.urls import path

from disposition.views import inbox

urlpatterns = [
    path("kotak-masuk/", inbox.inbox, name="inbox"),
    path("kotak-masuk/tindakan-massal/", inbox.inbox_bulk, name="inbox_bulk"),
    path("laporan-baru/", inbox.report_create, name="report_create"),
    path("laporan-baru/tercatat/", inbox.report_created, name="report_created"),
]

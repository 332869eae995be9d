"""The back-office at /kelola/: one URL module per part, all under the namespace "kelola"."""

from django.urls import path

from disposition.urls import auth, inbox, onboarding, opd, report
from disposition.views import home

app_name = "kelola"

urlpatterns = [
    path("", home.home, name="home"),
    *auth.urlpatterns,
    *inbox.urlpatterns,
    *report.urlpatterns,
    *opd.urlpatterns,
    *onboarding.urlpatterns,
]

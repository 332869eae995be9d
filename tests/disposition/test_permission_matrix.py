"""Issue 4's permission matrix, for the back-office pages: each persona × each page, on a
report dispositioned to the persona's own OPD (Dinkes) — what is allowed works, what is not
answers a login redirect (anonymous) or 404 (everyone else: a report or page outside one's
scope is not even confirmed to exist)."""

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Status
from tests.builders import reach

LOGIN = "login"
OK = 200
REDIRECT = 302
NOT_FOUND = 404

PAGES = [
    "inbox",
    "report_create",
    "report_detail",
    "opd_inbox",
    "answer_templates",
    "onboarding",
    "nominations",
]

# persona → expected answer per page (order of PAGES).
EXPECTED = {
    "anonymous": [LOGIN] * len(PAGES),
    "citizen": [NOT_FOUND] * len(PAGES),
    # Admin Kabupaten works in its inbox; an OPD's desk is not its page; nominations are
    # decided on the onboarding page, where it is sent.
    "admin_kabupaten": [OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, REDIRECT],
    "admin_opd": [NOT_FOUND, NOT_FOUND, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "other_opd_admin": [NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "pejabat_penghubung": [NOT_FOUND, NOT_FOUND, OK, OK, OK, NOT_FOUND, OK],
    "other_pejabat_penghubung": [NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, OK],
}


def _url(page, number):
    if page == "report_detail":
        return reverse("kelola:report_detail", args=[number])
    return reverse(f"kelola:{page}")


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_reaches_exactly_its_pages(request, persona, world, staff_client):
    number = reach(world, Status.DISPOSITIONED).tracking_number  # to Dinkes
    if persona == "anonymous":
        client = Client()
    else:
        user = request.getfixturevalue(persona)
        client = staff_client(user) if persona != "citizen" else Client()
        if persona == "citizen":
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    answers = []
    for page in PAGES:
        response = client.get(_url(page, number))
        if response.status_code == 302 and "/kelola/masuk/" in response.url:
            answers.append(LOGIN)
        else:
            answers.append(response.status_code)

    assert dict(zip(PAGES, answers, strict=True)) == dict(
        zip(PAGES, EXPECTED[persona], strict=True)
    )

"""``manage.py load_reference_data``: classifications, wilayah, OPDs, categories, external
institutions, SLA defaults and holidays. Idempotent: run it on every deploy."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.reference import KINDS, ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = (
        "Load the reference data of complaints/data/ and settings.SLA_DEFAULT_POLICIES, and "
        "seed this year's and next year's holidays. Safe to run again: it creates what is "
        "missing and updates only the fields the files own (see complaints/reference.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="Read the data files from this directory instead of complaints/data/.",
        )
        parser.add_argument(
            "--no-holidays", action="store_true", help="Do not seed the holiday table."
        )

    def handle(self, *args, data_dir=None, no_holidays=False, **options):
        try:
            counts = reference_data_load(data_dir=data_dir, holidays=not no_holidays)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc

        width = max(len(kind) for kind in (*KINDS, "holiday"))
        self.stdout.write(f"{'kind':<{width}}  created  updated")
        for kind in KINDS:
            created, updated = counts[f"{kind}.created"], counts[f"{kind}.updated"]
            self.stdout.write(f"{kind:<{width}}  {created:>7}  {updated:>7}")
        if "holiday.created" in counts:
            self.stdout.write(f"{'holiday':<{width}}  {counts['holiday.created']:>7}        -")
        elif counts.get("holiday.skipped"):
            self.stdout.write(
                self.style.WARNING(
                    "holiday: skipped, disposition.calendar.holidays_seed is not available"
                )
            )
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))

"""``manage.py generate_complaints N``: realistic fake reports for load tests and demos.

The logic is ``complaints.generator.generate_complaints``; this only parses, guards and prints.
"""

import secrets
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from complaints.generator import GeneratorError, generate_complaints

TABLES = ("complaints", "reporters", "dispositions", "responses", "clocks", "events")


class Command(BaseCommand):
    help = (
        "Create N realistic reports in every status over the last years, with reporters, "
        "events, dispositions, responses and SLA clocks, in batches. Needs the reference data "
        "(manage.py load_reference_data). Refuses to run with DEBUG off unless --force: the "
        "reports are fake and their access codes follow from the seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many reports to create.")
        parser.add_argument(
            "--seed", type=int, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument("--years", type=int, default=3, help="Spread over this many years.")
        parser.add_argument("--batch", type=int, default=5000, help="Reports per transaction.")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (not on production!)."
        )

    def handle(self, *args, count, seed, years, batch, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: generated reports would mix with real ones. Use --force on a "
                "database meant for testing."
            )
        if count < 1:
            raise CommandError("N must be at least 1.")
        if seed is None:
            seed = secrets.randbelow(2**31)
        self.stdout.write(f"Generating {count} reports over {years} years (seed {seed}) …")

        def progress(done, total):
            elapsed = time.perf_counter() - started
            self.stdout.write(f"  {done:>9}/{total}  {done / elapsed:8.0f} reports/s")

        started = time.perf_counter()
        try:
            counts = generate_complaints(
                count=count, seed=seed, years=years, batch_size=batch, progress=progress
            )
        except GeneratorError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started

        rows = sum(counts.get(table, 0) for table in TABLES)
        for table in TABLES:
            self.stdout.write(f"{table:<14}{counts.get(table, 0):>10}")
        statuses = sorted(
            (k.removeprefix("status."), v) for k, v in counts.items() if k.startswith("status.")
        )
        self.stdout.write("by status: " + ", ".join(f"{s} {n}" for s, n in statuses))
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts.get('complaints', 0)} reports, {rows} rows in {elapsed:.1f} s: "
                f"{counts.get('complaints', 0) / elapsed:.0f} complaints/s, "
                f"{rows / elapsed:.0f} rows/s."
            )
        )

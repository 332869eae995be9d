"""README.md says what the code does: its workflow tables are the ones in
complaints/workflow.py, and its configuration table names every environment variable."""

import re
from pathlib import Path

from complaints.models import Status
from complaints.workflow import COMPLAINT_TRANSITIONS, DISPOSITION_TRANSITIONS
from disposition.models import DispositionStatus, Role

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- workflow-table -->", "<!-- /workflow-table -->"


def _names(values, enum):
    return ", ".join(f"{enum(v).label} (`{v}`)" if v else "baru" for v in values)


def workflow_tables_markdown() -> str:
    lines = ["Report (complaint) moves:", "", "| action | from | to | who |", "|---|---|---|---|"]
    for t in COMPLAINT_TRANSITIONS:
        sources = sorted(t.source, key=lambda s: (s is not None, s or ""))
        target = f"{Status(t.target).label} (`{t.target}`)" if t.target else "derived"
        roles = ", ".join(str(Role(r).label) for r in sorted(t.roles))
        lines.append(f"| `{t.action}` | {_names(sources, Status)} | {target} | {roles} |")
    lines += ["", "Disposition moves:", "", "| action | from | to | who |", "|---|---|---|---|"]
    for t in DISPOSITION_TRANSITIONS:
        roles = ", ".join(str(Role(r).label) for r in sorted(t.roles))
        lines.append(
            f"| `{t.action}` | {_names(sorted(t.source), DispositionStatus)} | "
            f"{DispositionStatus(t.target).label} (`{t.target}`) | {roles} |"
        )
    return "\n".join(lines)


def test_readme_workflow_tables_match_the_code():
    text = README.read_text()
    documented = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert documented == workflow_tables_markdown(), (
        "README.md's workflow tables are out of date; regenerate them with "
        "`python -c 'from tests.test_readme import workflow_tables_markdown as w; print(w())'`"
    )


def test_every_environment_variable_is_documented():
    settings_source = (README.parent / "kudus_pengaduan" / "settings.py").read_text()
    readme = README.read_text()
    read = set(
        re.findall(
            r'(?:env(?:_bool|_int|_url)?|env\.\w+|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]+)"',
            settings_source,
        )
    )
    assert len(read) > 20  # the pattern still finds them
    undocumented = sorted(name for name in read if f"`{name}`" not in readme)
    assert undocumented == []

"""Forms of the citizen website, one module per part (report, tracking, accounts, public)."""

from django.utils.translation import gettext as _


def category_filter_choices(categories) -> list:
    """Choices for a category filter, grouped by top-level category; choosing the top level
    includes its children. ``categories`` are the active categories (with parent_id)."""
    by_parent: dict[int | None, list] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)

    def below(parent_id, depth):
        for category in by_parent.get(parent_id, ()):
            yield (category.slug, f"{'— ' * depth}{category.name}")
            yield from below(category.id, depth + 1)

    groups = []
    for top in by_parent.get(None, ()):
        choices = [(top.slug, _("Semua: %(name)s") % {"name": top.name})]
        choices.extend(below(top.id, 0))
        groups.append((top.name, choices))
    return groups

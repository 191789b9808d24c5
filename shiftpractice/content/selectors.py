"""Reads on the model: the current version, a version's items, the view other apps use, diffs and attribution.

Other apps call ``model_for_cohort`` (or ``model_view``) and store ``item.ref`` ("slug@version") with every
answer; they never query these tables themselves. Every function here runs a fixed number of queries,
whatever the number of items.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from .choices import KIND_ORDER, KIND_PLURAL, Kind, Pillar, VersionStatus
from .models import ContentItem, LicenceRecord, ModelVersion, ModelVersionItem
from .validation import parse_ref


def current_version() -> ModelVersion | None:
    """The latest published version whose date has come: what the public pages show and what a new cohort
    starts from. A version published ahead of its date waits until that day (London time) to become current."""
    return (
        ModelVersion.objects.filter(status=VersionStatus.PUBLISHED, dated__lte=timezone.localdate())
        .order_by("-published_at", "-number")
        .first()
    )


def version_list(*, include_drafts: bool) -> list[ModelVersion]:
    qs = ModelVersion.objects.select_related("parent", "published_by").order_by("-number")
    if not include_drafts:
        qs = qs.filter(status=VersionStatus.PUBLISHED)
    return list(qs)


def version_items(version: ModelVersion) -> list[ContentItem]:
    """The version's items in the order they were added (revising an item keeps its place); one query."""
    memberships = ModelVersionItem.objects.filter(model_version=version).select_related("item").order_by("id")
    return [m.item for m in memberships]


@dataclass
class ModelView:
    """A model version as other apps and pages need it: items by kind, lookups by slug, stages in order."""

    version: ModelVersion
    items: list[ContentItem]
    is_fallback: bool = False
    by_slug: dict[str, ContentItem] = field(init=False)

    def __post_init__(self):
        self.by_slug = {item.slug: item for item in self.items}

    def of_kind(self, kind: str) -> list[ContentItem]:
        return [item for item in self.items if item.kind == kind]

    @property
    def pillars(self) -> list[ContentItem]:
        order = {p: n for n, p in enumerate(Pillar.values)}
        return sorted(self.of_kind(Kind.PILLAR), key=lambda i: order.get(i.name, 99))

    @property
    def lenses(self) -> list[ContentItem]:
        return self.of_kind(Kind.LENS)

    @property
    def prompts(self) -> list[ContentItem]:
        return self.of_kind(Kind.PROMPT)

    @property
    def tools(self) -> list[ContentItem]:
        return self.of_kind(Kind.TOOL)

    @property
    def stages(self) -> list[ContentItem]:
        return sorted(self.of_kind(Kind.STAGE), key=lambda i: i.schema.get("order", 0))

    @property
    def instruments(self) -> list[ContentItem]:
        return self.of_kind(Kind.INSTRUMENT)

    @property
    def indicators(self) -> list[ContentItem]:
        return self.of_kind(Kind.INDICATOR)

    @property
    def factor_sets(self) -> list[ContentItem]:
        return self.of_kind(Kind.FACTOR_SET)

    def grouped(self) -> list[tuple[str, list[ContentItem]]]:
        """(heading, items) in the order pages show them, skipping empty kinds; the heading is the kind's
        label, in the plural when there are several."""
        return [
            (Kind(k).label if len(items) == 1 else KIND_PLURAL[Kind(k)], items)
            for k in KIND_ORDER
            if (items := self.of_kind(k))
        ]

    def resolve(self, slugs) -> list[ContentItem]:
        """The items of this version named by ``slugs``, skipping any the version does not contain."""
        return [self.by_slug[s] for s in slugs or [] if s in self.by_slug]

    def lens(self, name: str) -> ContentItem | None:
        item = self.by_slug.get(f"lens.{name}")
        return item if item and item.kind == Kind.LENS else None

    def ref(self, slug: str) -> str | None:
        """``slug@version`` for the version of ``slug`` in this model version, to store with an answer."""
        item = self.by_slug.get(slug)
        return item.ref if item else None

    def stage_prompts(self, stage: ContentItem) -> list[ContentItem]:
        return self.resolve(stage.schema.get("prompts"))

    def stage_tools(self, stage: ContentItem) -> list[ContentItem]:
        return self.resolve(stage.schema.get("tools"))

    def lenses_for_pillar(self, pillar: str) -> list[ContentItem]:
        return [lens for lens in self.lenses if pillar in lens.pillars]


def model_view(version: ModelVersion, *, is_fallback: bool = False) -> ModelView:
    return ModelView(version=version, items=version_items(version), is_fallback=is_fallback)


def model_for_cohort(cohort) -> ModelView | None:
    """The model a cohort works with: its own version, or the current one (flagged) until a lead sets it.

    Takes any object with ``model_version_id`` so this app need not import cohorts (which sits above it).
    """
    version_id = getattr(cohort, "model_version_id", None)
    if version_id:
        return model_view(ModelVersion.objects.get(pk=version_id))
    version = current_version()
    return model_view(version, is_fallback=True) if version else None


def item_for_ref(ref: str) -> ContentItem | None:
    """The item version a stored ``slug@version`` names, or None."""
    try:
        slug, version = parse_ref(ref)
    except ValueError:
        return None
    return ContentItem.objects.filter(slug=slug, version=version).first()


def items_for_refs(refs) -> dict[str, ContentItem]:
    """Many stored references at once (one query), for pages that list answers."""
    pairs = []
    for ref in set(refs):
        try:
            pairs.append(parse_ref(ref))
        except ValueError:
            continue
    if not pairs:
        return {}
    slugs = {slug for slug, _ in pairs}
    items = ContentItem.objects.filter(slug__in=slugs)
    wanted = set(pairs)
    return {i.ref: i for i in items if (i.slug, i.version) in wanted}


def items_outside(version: ModelVersion) -> list[ContentItem]:
    """The newest version of every item not in ``version``: retired items and drafts awaiting verification."""
    inside = ModelVersionItem.objects.filter(model_version=version).values("slug")
    newest = (
        ContentItem.objects.exclude(slug__in=inside).values("slug").annotate(latest=Max("version")).order_by()
    )
    latest = {row["slug"]: row["latest"] for row in newest}
    candidates = ContentItem.objects.filter(slug__in=latest).order_by("kind", "slug")
    return [item for item in candidates if item.version == latest[item.slug]]


def licence_records(slugs) -> dict[str, LicenceRecord]:
    return {r.slug: r for r in LicenceRecord.objects.filter(slug__in=list(slugs))}


# Attribution ---------------------------------------------------------------------------------------------


@dataclass
class SourceUse:
    citation: str
    url: str
    accessed: str
    items: list[ContentItem]
    verify: bool = False


@dataclass
class LicenceUse:
    name: str
    url: str
    flag: str
    attributions: list[str]
    items: list[ContentItem]


def attribution(items: list[ContentItem]) -> tuple[list[SourceUse], list[LicenceUse]]:
    """Every source and every licence the items use, each once, with the items that use it."""
    sources: dict[str, SourceUse] = {}
    for item in items:
        for source in item.sources:
            key = source.get("url") or source.get("citation")
            use = sources.setdefault(
                key,
                SourceUse(source.get("citation", ""), source.get("url", ""), source.get("accessed", ""), []),
            )
            use.items.append(item)
            use.verify = use.verify or bool(source.get("verify"))
    licences: dict[tuple, LicenceUse] = {}
    for item in items:
        key = (item.licence_name, item.licence_url, item.licence_flag)
        use = licences.setdefault(
            key, LicenceUse(item.licence_name, item.licence_url, item.get_licence_flag_display(), [], [])
        )
        use.items.append(item)
        if item.attribution and item.attribution not in use.attributions:
            use.attributions.append(item.attribution)
    return sorted(sources.values(), key=lambda s: s.citation.lower()), list(licences.values())


# Version history for a programme -------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    version: ModelVersion
    used_by: list = field(default_factory=list)


def version_history(cohorts) -> list[HistoryEntry]:
    """The versions a programme's cohorts use, with the versions they were drafted from, newest first.

    ``cohorts`` are objects with ``model_version_id`` (this app cannot import cohorts). One query.
    """
    used: dict[int, list] = defaultdict(list)
    for cohort in cohorts:
        if cohort.model_version_id:
            used[cohort.model_version_id].append(cohort)
    if not used:
        return []
    versions = {v.pk: v for v in ModelVersion.objects.filter(status=VersionStatus.PUBLISHED)}
    wanted: set[int] = set()
    for pk in used:
        while pk and pk not in wanted and pk in versions:
            wanted.add(pk)
            pk = versions[pk].parent_id
    return [
        HistoryEntry(versions[pk], used.get(pk, []))
        for pk in sorted(wanted, key=lambda pk: versions[pk].number, reverse=True)
    ]


# Diff ----------------------------------------------------------------------------------------------------

DIFF_FIELDS = [
    ("title", "Title"),
    ("summary", "Summary"),
    ("body", "Body"),
    ("schema", "Structure"),
    ("pillars", "Pillars"),
    ("sources", "Sources"),
    ("licence", "Licence"),
]


def _lines(value, prefix: str = "") -> list[str]:
    """A value flattened into readable lines, so two versions can be compared line by line."""
    if isinstance(value, dict):
        keys = ("citation", "url")
        if all(k in value for k in keys):  # a source reads best as one line
            flag = " (verify)" if value.get("verify") else ""
            return [f"{prefix}{value['citation']} <{value['url']}>{flag}"]
        lines = []
        for key, sub in value.items():
            lines += _lines(sub, f"{prefix}{key}: ")
        return lines
    if isinstance(value, list):
        first = value[0] if value and isinstance(value[0], dict) else {}
        ident = next((k for k in ("key", "name", "value", "raw") if k in first), None)
        if ident and all(isinstance(v, dict) for v in value):
            return [
                line
                for v in value
                for line in _lines({k: x for k, x in v.items() if k != ident}, f"{prefix}{v.get(ident)}: ")
            ]
        lines = []
        for sub in value:
            lines += _lines(sub, prefix)
        return lines
    if isinstance(value, str):
        return [f"{prefix}{line}" for line in value.splitlines() if line.strip()] or (
            [prefix.rstrip(": ")] if prefix else []
        )
    return [f"{prefix}{value}"]


def _field_value(item: ContentItem, name: str):
    if name == "licence":
        return {
            "name": item.licence_name,
            "url": item.licence_url,
            "flag": item.get_licence_flag_display(),
            "attribution": item.attribution,
            "organisation licence required": "yes" if item.requires_licence else "no",
        }
    if name == "pillars":
        return [Pillar(p).label if p in Pillar.values else p for p in item.pillars]
    return getattr(item, name)


@dataclass
class FieldChange:
    name: str
    label: str
    removed: list[str]
    added: list[str]


@dataclass
class ItemChange:
    before: ContentItem
    after: ContentItem
    fields: list[FieldChange]


@dataclass
class VersionDiff:
    old: ModelVersion | None
    new: ModelVersion
    added: list[ContentItem]
    removed: list[ContentItem]
    changed: list[ItemChange]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def item_changes(before: ContentItem, after: ContentItem) -> list[FieldChange]:
    changes = []
    for name, label in DIFF_FIELDS:
        old, new = _lines(_field_value(before, name)), _lines(_field_value(after, name))
        removed = [line for line in old if line not in new]
        added = [line for line in new if line not in old]
        if removed or added:
            changes.append(FieldChange(name, label, removed, added))
    return changes


def version_diff(old: ModelVersion | None, new: ModelVersion) -> VersionDiff:
    """What ``new`` adds, retires and changes compared with ``old``, field by field. Two queries."""
    before = {i.slug: i for i in version_items(old)} if old else {}
    after = {i.slug: i for i in version_items(new)}
    order = {k: n for n, k in enumerate(KIND_ORDER)}

    def by_kind(items):
        return sorted(items, key=lambda i: (order.get(i.kind, 99), i.slug))

    changed, unchanged = [], 0
    for slug in sorted(set(before) & set(after)):
        if before[slug].pk == after[slug].pk:
            unchanged += 1
            continue
        changed.append(ItemChange(before[slug], after[slug], item_changes(before[slug], after[slug])))
    changed.sort(key=lambda c: (order.get(c.after.kind, 99), c.after.slug))
    return VersionDiff(
        old=old,
        new=new,
        added=by_kind(after[s] for s in set(after) - set(before)),
        removed=by_kind(before[s] for s in set(before) - set(after)),
        changed=changed,
        unchanged=unchanged,
    )

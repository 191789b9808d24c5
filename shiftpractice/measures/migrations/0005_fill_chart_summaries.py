"""Store the chart summary of every existing measure (``measures.summaries``).

It reads and writes through the historical models; the only code of the app it uses is the pure chart
computation (``charts.compute.build_chart``) and the pure shaping of its result (``summaries.fields_from_view``,
``version_of``), since a summary is exactly what the engine says and nothing else can say it. A measure
without a row would still get one when first read, so this only spares the first readers the work.
"""

from collections import defaultdict, namedtuple

from django.db import migrations
from django.utils import timezone

BATCH = 200
Point = namedtuple(
    "Point",
    "id measure_id period value numerator denominator note excluded exclusion_reason updated_at",
)


class _Measure:
    """The historical measure with what the chart computation reads of the real one."""

    def __init__(self, measure):
        self._m = measure

    def __getattr__(self, name):
        return getattr(self._m, name)

    @property
    def has_denominator(self) -> bool:
        return self._m.data_kind in ("proportion", "rate")


def fill(apps, schema_editor):
    from shiftpractice.measures.charts.compute import build_chart
    from shiftpractice.measures.summaries import fields_from_view, version_of

    Measure = apps.get_model("measures", "Measure")
    DataPoint = apps.get_model("measures", "DataPoint")
    Phase = apps.get_model("measures", "Phase")
    Settings = apps.get_model("measures", "ProgrammeChartSettings")
    ChartSummary = apps.get_model("measures", "ChartSummary")
    settings = {s.programme_id: s for s in Settings.objects.all()}
    ids = list(Measure.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        batch = list(
            Measure.objects.filter(pk__in=ids[start : start + BATCH]).select_related("project__cohort")
        )
        points, phases = defaultdict(list), defaultdict(list)
        for row in (
            DataPoint.objects.filter(measure_id__in=[m.pk for m in batch])
            .order_by("measure_id", "period")
            .values_list(*Point._fields)
        ):
            points[row[1]].append(Point(*row))
        for ph in Phase.objects.filter(measure_id__in=[m.pk for m in batch]).order_by("start"):
            phases[ph.measure_id].append(ph)
        rows = []
        for m in batch:
            chosen = settings.get(m.project.cohort.programme_id)
            view = build_chart(_Measure(m), points[m.pk], phases[m.pk], chosen)
            rows.append(
                ChartSummary(
                    measure_id=m.pk, version=version_of(m, chosen), computed_at=now, **fields_from_view(view)
                )
            )
        ChartSummary.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_chart_summary")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

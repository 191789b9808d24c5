"""Background work: building a person's data export."""

from django_tasks import task

from .models import DataExport


@task()
def build_export(*, export_id: int) -> str:
    from .services import export_build

    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return "gone"
    return export_build(export).status

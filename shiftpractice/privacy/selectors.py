"""Reads on data exports."""

from .models import DataExport


def export_list(*, user) -> list[DataExport]:
    return list(DataExport.objects.filter(user=user).order_by("-requested_at", "-id")[:10])

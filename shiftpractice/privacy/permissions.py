"""An export is the person's own: nobody else may know it exists (404), staff and leads included."""

from django.shortcuts import get_object_or_404

from .models import DataExport


def get_export_for_user(user, public_id) -> DataExport:
    return get_object_or_404(DataExport, public_id=public_id, user_id=getattr(user, "pk", None))

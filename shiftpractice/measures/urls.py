from django.urls import path

from .views import data, exports, imports, measures, moved, paste

app_name = "measures"

urlpatterns = [
    # Every page of this app is under measures/ (a project's measures too).
    path("measures/projects/<uuid:public_id>/", measures.project_measures, name="project"),
    path("measures/projects/<uuid:public_id>/new/", measures.measure_create, name="create"),
    path("measures/projects/<uuid:public_id>/export.csv", exports.project_csv, name="project_csv"),
    path("measures/projects/<uuid:public_id>/export.xlsx", exports.project_xlsx, name="project_xlsx"),
    path("measures/rules/", measures.rules, name="rules"),
    path("measures/programmes/<slug:slug>/settings/", measures.programme_settings, name="settings"),
    path("measures/<uuid:measure_id>/", measures.measure_detail, name="detail"),
    path("measures/<uuid:measure_id>/edit/", measures.measure_edit, name="edit"),
    path("measures/<uuid:measure_id>/delete/", measures.measure_delete, name="delete"),
    path("measures/<uuid:measure_id>/data/", data.data_table, name="data"),
    path("measures/<uuid:measure_id>/data/<str:period>/delete/", data.point_delete, name="point_delete"),
    path("measures/<uuid:measure_id>/paste/", paste.paste_data, name="paste"),
    path("measures/<uuid:measure_id>/phases/", measures.measure_phases, name="phases"),
    path("measures/<uuid:measure_id>/cycles/", measures.measure_cycles, name="cycles"),
    path("measures/<uuid:measure_id>/phases/<str:start>/delete/", measures.phase_delete, name="phase_delete"),
    path("measures/<uuid:measure_id>/chart.svg", exports.chart_svg, name="chart_svg"),
    path("measures/<uuid:measure_id>/export.csv", exports.measure_csv, name="export_csv"),
    path("measures/<uuid:measure_id>/export.xlsx", exports.measure_xlsx, name="export_xlsx"),
    path("measures/<uuid:measure_id>/import/", imports.upload, name="upload"),
    path("measures/imports/<uuid:import_id>/", imports.import_page, name="import"),
    path("measures/imports/<uuid:import_id>/status/", imports.import_status, name="import_status"),
    path("measures/imports/<uuid:import_id>/columns/", imports.import_mapping, name="import_mapping"),
    path("measures/imports/<uuid:import_id>/commit/", imports.import_commit, name="import_commit"),
    path("measures/imports/<uuid:import_id>/cancel/", imports.import_cancel, name="import_cancel"),
    # The project's measures used to live under the project's URL: old links and bookmarks still work.
    path("projects/<uuid:public_id>/measures/", moved.to("measures:project")),
    path("projects/<uuid:public_id>/measures/new/", moved.to("measures:create")),
    path("projects/<uuid:public_id>/measures/export.csv", moved.to("measures:project_csv")),
    path("projects/<uuid:public_id>/measures/export.xlsx", moved.to("measures:project_xlsx")),
]

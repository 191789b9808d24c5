from django.urls import path

from .views import cycles, export, maps, projects, value

app_name = "projects"

urlpatterns = [
    path("", projects.project_list, name="list"),
    path("new/", projects.project_create, name="create"),
    path("<uuid:public_id>/", projects.project_detail, name="detail"),
    path("<uuid:public_id>/edit/", projects.project_edit, name="edit"),
    path("<uuid:public_id>/approve/", projects.project_approve, name="approve"),
    path("<uuid:public_id>/team/", projects.project_team, name="team"),
    path("<uuid:public_id>/lenses/", projects.project_lenses, name="lenses"),
    path("<uuid:public_id>/lenses/<str:slug>/", projects.project_lens_answer, name="lens_answer"),
    path("<uuid:public_id>/influence/", maps.influence_map, name="influence"),
    path("<uuid:public_id>/influence/<uuid:stakeholder_id>/", maps.stakeholder_edit, name="stakeholder_edit"),
    path(
        "<uuid:public_id>/influence/<uuid:stakeholder_id>/delete/",
        maps.stakeholder_delete,
        name="stakeholder_delete",
    ),
    path("<uuid:public_id>/drivers/", maps.driver_diagram, name="drivers"),
    path("<uuid:public_id>/drivers/<uuid:node_id>/", maps.driver_edit, name="driver_edit"),
    path("<uuid:public_id>/drivers/<uuid:node_id>/delete/", maps.driver_delete, name="driver_delete"),
    path("<uuid:public_id>/cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("<uuid:public_id>/cycles/<int:number>/", cycles.cycle_detail, name="cycle"),
    path("<uuid:public_id>/cycles/<int:number>/correct/", cycles.cycle_correct, name="cycle_correct"),
    path("<uuid:public_id>/cycles/<int:number>/next/", cycles.cycle_next, name="cycle_next"),
    path("<uuid:public_id>/progress/", value.progress, name="progress"),
    path("<uuid:public_id>/value/", value.sustainable_value, name="value"),
    path(
        "<uuid:public_id>/value/carbon/<uuid:activity_id>/delete/", value.carbon_delete, name="carbon_delete"
    ),
    path("<uuid:public_id>/value/social/<uuid:impact_id>/delete/", value.social_delete, name="social_delete"),
    path(
        "<uuid:public_id>/value/financial/<uuid:impact_id>/delete/",
        value.financial_delete,
        name="financial_delete",
    ),
    path("<uuid:public_id>/story.pdf", export.story_pdf, name="pdf"),
]
